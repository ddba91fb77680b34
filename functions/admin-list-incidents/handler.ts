import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { listIncidents } from "#lib/incidents/views";
import { route } from "./route";

export const handler = securedHandler(route, async ({ query }) => ok(await listIncidents(query.status, query.limit, query.cursor)));
