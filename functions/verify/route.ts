import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { code, login } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/auth/verify",
  summary: "Activate the account with the code that was sent",
  tags: ["auth"],
  auth: "public",
  body: z.strictObject({ login, code }),
  responses: { 200: "Active", 400: "CODE_MISMATCH (with attemptsRemaining) or CODE_EXPIRED", 429: "TOO_MANY_ATTEMPTS, or RATE_LIMITED (this address's code checks)" },
});
