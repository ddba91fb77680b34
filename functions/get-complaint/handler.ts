import { readComplaint } from "#lib/complaints/read";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, params }) => ok(await readComplaint(auth, params.complaintId)));
