import { recomputeForStaff } from "#lib/admin/credit";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, params, client }) => ok(await recomputeForStaff(auth, params.userId, client.requestId)));
