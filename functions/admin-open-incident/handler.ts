import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { requestIncident } from "#lib/incidents/requests";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, body }) => ok(await requestIncident(auth, body), 202));
