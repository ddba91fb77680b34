import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { code } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/me/mfa/totp/confirm",
  summary: "Confirm enrolment with a first code: two-factor sign-in is on, and ten recovery codes are shown once",
  tags: ["me", "mfa"],
  auth: "user",
  permission: "account:security",
  body: z.strictObject({ code }),
  responses: { 200: "{ recoveryCodes: [10 strings] }", 400: "CODE_MISMATCH", 409: "MFA_NOT_STARTED, MFA_ALREADY_ENABLED", 429: "TOO_MANY_ATTEMPTS" },
});
