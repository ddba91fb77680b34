import { recomputeNow } from "#lib/credit/recompute";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ params }) => ok(await recomputeNow(params.userId)));
