import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { incidentUsers } from "#lib/incidents/views";
import { route } from "./route";

export const handler = securedHandler(route, async ({ params, query }) => ok(await incidentUsers(params.incidentId, query.limit, query.cursor)));
