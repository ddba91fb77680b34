import { giveFeedback } from "#lib/feedback/give";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, body }) => ok(await giveFeedback(auth.userId, body), 201));
