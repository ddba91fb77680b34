import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { listActivity } from "#lib/data/activity";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, query }) => ok(await listActivity(auth.userId, query.limit, query.cursor)));
