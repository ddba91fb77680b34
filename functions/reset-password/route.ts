import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { code, login, password } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/auth/password/reset",
  summary: "Set a new password with a reset code; all sessions end",
  tags: ["auth"],
  auth: "public",
  body: z.strictObject({ login, code, newPassword: password }),
  responses: { 204: "Password set, sessions revoked", 400: "CODE_MISMATCH, CODE_EXPIRED or weak password", 429: "TOO_MANY_ATTEMPTS, or RATE_LIMITED (this address's code checks)" },
});
