import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { login } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/auth/verify/resend",
  summary: "Send a new verification code (60 s cooldown)",
  tags: ["auth"],
  auth: "public",
  body: z.strictObject({ login }),
  responses: { 202: "Accepted (always, whether or not the account exists)", 429: "RESEND_COOLDOWN, or RATE_LIMITED (this address's code requests)" },
});
