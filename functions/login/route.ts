import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { login, password } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/auth/login",
  summary: "Sign in with username, e-mail or phone and password",
  tags: ["auth"],
  auth: "public",
  body: z.strictObject({ login, password }),
  responses: {
    200: "Tokens, or (two-factor accounts) { mfaRequired: true, challengeId, methods, expiresIn } and no tokens: finish with POST /auth/login/mfa",
    401: "INVALID_CREDENTIALS",
    403: "ACCOUNT_NOT_VERIFIED or ACCOUNT_SUSPENDED",
    429: "LOCKED_OUT (Retry-After)",
  },
});
