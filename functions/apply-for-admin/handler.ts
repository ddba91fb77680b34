import { applyForAdmin } from "#lib/admin/applications";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, body }) => ok(await applyForAdmin(auth, body.reason), 201));
