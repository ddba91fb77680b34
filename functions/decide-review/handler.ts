import { decide } from "#lib/documents/decide";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, params, body, client }) => ok(await decide(auth, params.submissionId, body, client.requestId)));
