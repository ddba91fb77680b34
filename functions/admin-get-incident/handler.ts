import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { incidentView } from "#lib/incidents/views";
import { route } from "./route";

export const handler = securedHandler(route, async ({ params }) => ok(await incidentView(params.incidentId)));
