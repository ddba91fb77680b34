import { httpHandler, ok } from "#lib/http/handler";
import { refresh } from "#lib/identity/sessions";
import { route } from "./route";

export const handler = httpHandler(route, async ({ body }) => ok(await refresh(body.refreshToken)));
