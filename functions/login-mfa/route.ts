import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "POST",
  path: "/auth/login/mfa",
  summary: "Finish a two-factor sign-in with a TOTP or recovery code",
  tags: ["auth"],
  auth: "public",
  body: z.strictObject({
    challengeId: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/, { error: "Not a challenge id.", abort: true }), z.maxLength(43)),
    code: z.string().check(z.trim(), z.minLength(6), z.maxLength(16)),
  }),
  responses: {
    200: "Tokens, as POST /auth/login",
    400: "CODE_MISMATCH (attemptsRemaining), CHALLENGE_EXPIRED",
    429: "TOO_MANY_ATTEMPTS (the challenge is over), LOCKED_OUT (Retry-After)",
  },
});
