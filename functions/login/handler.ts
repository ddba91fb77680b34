import { httpHandler, ok } from "#lib/http/handler";
import { login } from "#lib/identity/login";
import { route } from "./route";

export const handler = httpHandler(route, async ({ body, client }) => ok(await login(body.login, body.password, client)));
