import { httpHandler, ok } from "#lib/http/handler";
import { meView } from "#lib/identity/profile";
import { route } from "./route";

export const handler = httpHandler(route, async ({ auth }) => ok(await meView(auth)));
