import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { password } from "#lib/http/schemas";

export const route = defineRoute({
  method: "DELETE",
  path: "/me/mfa",
  summary: "Turn two-factor sign-in off (the password and a current TOTP or recovery code)",
  tags: ["me", "mfa"],
  auth: "user",
  permission: "account:security",
  body: z.strictObject({ password, code: z.string().check(z.trim(), z.minLength(6), z.maxLength(16)) }),
  responses: { 204: "Off", 400: "CURRENT_PASSWORD_INCORRECT, CODE_MISMATCH", 409: "MFA_NOT_ENABLED", 429: "LOCKED_OUT" },
});
