import { z } from "zod";
import { defineRoute } from "#lib/http/route";
import { email, password, phone, username } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/auth/register",
  summary: "Register with username, e-mail and/or phone, and password",
  tags: ["auth"],
  auth: "public",
  body: z
    .strictObject({
      username,
      email: email.optional(),
      phone: phone.optional(),
      password,
      displayName: z.string().trim().min(1).max(64).optional(),
      consent: z.strictObject({ privacyPolicyVersion: z.string().min(1).max(32) }),
    })
    .refine((b) => b.email !== undefined || b.phone !== undefined, { message: "Give an e-mail or a phone number.", path: ["email"] }),
  responses: { 201: "Registered; a code was sent", 400: "Invalid input or weak password", 409: "ACCOUNT_EXISTS" },
});
