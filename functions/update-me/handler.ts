import { httpHandler, ok } from "#lib/http/handler";
import { updateProfile } from "#lib/identity/profile";
import { route } from "./route";

export const handler = httpHandler(route, async ({ auth, body }) => ok(await updateProfile(auth, body)));
