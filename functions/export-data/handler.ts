import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { exportMyData } from "#lib/privacy/export";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, client }) => ok(await exportMyData(auth.userId, client)));
