import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { updateProfile } from "#lib/identity/profile";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, body }) => ok(await updateProfile(auth, body)));
