import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { login } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/auth/password/forgot",
  summary: "Send a password reset code",
  tags: ["auth"],
  auth: "public",
  body: z.strictObject({ login }),
  responses: { 202: "Accepted (always)" },
});
