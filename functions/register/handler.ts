import { httpHandler, ok } from "#lib/http/handler";
import { register } from "#lib/identity/registration";
import { route } from "./route";

export const handler = httpHandler(route, async ({ body }) => ok(await register(body), 201));
