import { userForStaff } from "#lib/admin/users";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, params, client }) => ok(await userForStaff(auth, params.userId, client.requestId)));
