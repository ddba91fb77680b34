import { httpHandler, ok } from "#lib/http/handler";
import { verify } from "#lib/identity/verification";
import { route } from "./route";

export const handler = httpHandler(route, async ({ body, client }) => ok(await verify(body.login, body.code, client)));
