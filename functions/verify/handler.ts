import { httpHandler, ok } from "#lib/http/handler";
import { verify } from "#lib/identity/registration";
import { route } from "./route";

export const handler = httpHandler(route, async ({ body }) => ok(await verify(body.login, body.code)));
