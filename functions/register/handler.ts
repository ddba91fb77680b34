import { httpHandler, ok } from "#lib/http/handler";
import { register } from "#lib/identity/registration";
import { route } from "./route";

export const handler = httpHandler(route, async ({ body, client }) => ok(await register(body, client), 201));
