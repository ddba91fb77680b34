import { setLevelByHand } from "#lib/admin/account-controls";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, params, body, client }) =>
  ok(await setLevelByHand({ staff: auth, targetUserId: params.userId, reason: body.reason, requestId: client.requestId }, body.level, body.pinnedUntil)),
);
