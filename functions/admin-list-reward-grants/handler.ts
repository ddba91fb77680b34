import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { listGrants } from "#lib/rewards/grant-queue";
import { route } from "./route";

export const handler = securedHandler(route, async ({ query }) => ok(await listGrants(query.status, query.limit, query.cursor)));
