import { httpHandler, ok } from "#lib/http/handler";
import { listActivity } from "#lib/identity/sessions";
import { route } from "./route";

export const handler = httpHandler(route, async ({ auth, query }) => ok(await listActivity(auth.userId, query.limit, query.cursor)));
