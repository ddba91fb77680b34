import { myComplaints } from "#lib/complaints/mine";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, query }) => ok(await myComplaints(auth.userId, query.role, query.limit, query.cursor)));
