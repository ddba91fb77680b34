import { createSubmission } from "#lib/documents/declare";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, body }) => ok(await createSubmission(auth.user, body), 201));
