import { transitionComplaint } from "#lib/complaints/transition";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, params, body, client }) => ok(await transitionComplaint(auth, params.complaintId, body, client.requestId)));
