import { rateComplaint } from "#lib/complaints/satisfaction";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, params, body }) => ok(await rateComplaint(auth, params.complaintId, body), 201));
