import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { resolveIncident } from "#lib/incidents/requests";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, params, body }) => ok(await resolveIncident(auth, params.incidentId, body.summary)));
