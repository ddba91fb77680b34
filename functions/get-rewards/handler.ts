import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { rewardsView } from "#lib/rewards/view";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, query }) => ok(await rewardsView(auth, query.limit, query.cursor)));
