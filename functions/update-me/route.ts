import { z } from "zod";
import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "PATCH",
  path: "/me",
  summary: "Change the profile",
  tags: ["me"],
  auth: "user",
  permission: "profile:write",
  body: z
    .strictObject({
      displayName: z.string().trim().min(1).max(64).optional(),
      gender: z.enum(["FEMALE", "MALE", "OTHER", "UNDISCLOSED"]).optional(),
      birthDate: z.iso
        .date("Use YYYY-MM-DD.")
        .refine((d) => d >= "1900-01-01" && d <= new Date().toISOString().slice(0, 10), "Not a plausible birth date.")
        .optional(),
      bio: z.string().max(500).optional(),
      avatarUrl: z
        .url({ protocol: /^https$/, error: "Use an https URL." })
        .max(2048)
        .optional(),
    })
    .refine((b) => Object.keys(b).length > 0, { message: "Give at least one field to change." }),
  responses: { 200: "The updated user" },
});
