import { listApplications } from "#lib/admin/applications";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ query }) => ok(await listApplications(query.status, query.limit, query.cursor)));
