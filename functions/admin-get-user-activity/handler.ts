import { activityForStaff } from "#lib/admin/user-activity";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, params, query, client }) =>
  ok(await activityForStaff(auth, params.userId, query.limit, query.cursor, client.requestId)),
);
