import { decideApplication } from "#lib/admin/applications";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, params, body, client }) =>
  ok(await decideApplication(auth, params.applicationId, body.decision, body.reason, client.requestId)),
);
