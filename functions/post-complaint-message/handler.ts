import { postMessage } from "#lib/complaints/messages";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, params, body, client }) => ok(await postMessage(auth, params.complaintId, body.body, client.requestId), 201));
