import { reviewQueue } from "#lib/documents/review-queue";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ query }) => ok(await reviewQueue(query.status, query.limit, query.cursor)));
