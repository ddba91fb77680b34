import { rewardsForStaff } from "#lib/admin/user-rewards";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ params, query }) => ok(await rewardsForStaff(params.userId, query.limit, query.cursor)));
