import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { meView } from "#lib/identity/profile";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth }) => ok(await meView(auth)));
