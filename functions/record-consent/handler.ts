import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { recordConsent } from "#lib/privacy/consent";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, body }) => ok(await recordConsent(auth, body.privacyPolicyVersion, body.channel)));
