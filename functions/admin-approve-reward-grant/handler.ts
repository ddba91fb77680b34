import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { approveGrant } from "#lib/rewards/approve-grant";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, params, client }) => ok((await approveGrant(auth, params.grantId, client.requestId)).grant));
