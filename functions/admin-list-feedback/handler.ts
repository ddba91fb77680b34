import { listFeedback } from "#lib/feedback/list";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ query }) => ok(await listFeedback(query.limit, query.cursor)));
