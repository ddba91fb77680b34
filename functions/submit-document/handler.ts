import { submitSubmission } from "#lib/documents/submit";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, params }) => ok(await submitSubmission(auth.user, params.submissionId), 202));
