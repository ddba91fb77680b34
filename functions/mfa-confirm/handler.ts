import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { confirmEnrolment } from "#lib/mfa/enrolment";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, body, client }) => ok(await confirmEnrolment(auth, body.code, client.requestId)));
