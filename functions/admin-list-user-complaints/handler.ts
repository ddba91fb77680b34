import { complaintsForStaff } from "#lib/admin/user-complaints";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ params, query }) => ok(await complaintsForStaff(params.userId, query.role, query.limit, query.cursor)));
