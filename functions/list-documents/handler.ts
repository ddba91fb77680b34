import { mySubmissions } from "#lib/documents/mine";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth }) => ok(await mySubmissions(auth.userId)));
