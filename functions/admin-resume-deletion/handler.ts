import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { resumeDeletion } from "#lib/privacy/deletion-view";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, params, client }) => ok(await resumeDeletion(auth, params.userId, client.requestId), 202));
