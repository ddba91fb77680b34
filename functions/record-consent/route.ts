import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { boundedText } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/me/consent",
  summary: "Consent to the current privacy policy (GET /me says consentRequired while the user's version is older)",
  tags: ["me", "privacy"],
  auth: "user",
  permission: "account:security",
  body: z.strictObject({ privacyPolicyVersion: boundedText(1, 32), channel: z.optional(z.enum(["APP", "WEB", "API"])) }),
  responses: { 200: "{ privacyPolicyVersion, at, channel, consentRequired: false }", 400: "CONSENT_OUTDATED (names the current version)" },
});
