import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { requestDeletion } from "#lib/privacy/delete-request";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, body, client }) => ok(await requestDeletion(auth.user, body.password, client), 202));
