import { changePermissions } from "#lib/admin/access";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, params, body, client }) =>
  ok(await changePermissions({ staff: auth, targetUserId: params.userId, reason: body.reason, requestId: client.requestId }, body.grant, body.revoke)),
);
