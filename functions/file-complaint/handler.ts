import { fileComplaint } from "#lib/complaints/file";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, body }) => ok(await fileComplaint(auth, body), 201));
