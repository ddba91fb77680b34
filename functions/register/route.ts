import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { boundedText, displayName, email, password, phone, username } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/auth/register",
  summary: "Register with username, e-mail and/or phone, and password",
  tags: ["auth"],
  auth: "public",
  body: z
    .strictObject({
      username,
      email: z.optional(email),
      phone: z.optional(phone),
      password,
      displayName: z.optional(displayName),
      consent: z.strictObject({ privacyPolicyVersion: boundedText(1, 32), channel: z.optional(z.enum(["APP", "WEB", "API"])) }),
    })
    .check(
      z.refine((b) => b.email !== undefined || b.phone !== undefined, { message: "Give an e-mail or a phone number.", path: ["email"] }),
    ),
  responses: { 201: "Registered; a code was sent", 400: "Invalid input or weak password", 409: "ACCOUNT_EXISTS" },
});
