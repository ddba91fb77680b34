import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { startEnrolment } from "#lib/mfa/enrolment";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth }) => ok(await startEnrolment(auth), 201));
