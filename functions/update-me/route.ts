import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { displayName, publicHttpsUrl, shownText } from "#lib/http/schemas";

const today = () => new Date().toISOString().slice(0, 10);

export const route = defineRoute({
  method: "PATCH",
  path: "/me",
  summary: "Change the profile",
  tags: ["me"],
  auth: "user",
  permission: "profile:write",
  body: z
    .strictObject({
      displayName: z.optional(displayName),
      gender: z.optional(z.enum(["FEMALE", "MALE", "OTHER", "UNDISCLOSED"])),
      birthDate: z.optional(
        z.iso.date("Use YYYY-MM-DD.").check(z.refine((d) => d >= "1900-01-01" && d <= today(), "Not a plausible birth date.")),
      ),
      bio: z.optional(shownText(500)),
      avatarUrl: z.optional(publicHttpsUrl),
    })
    .check(z.refine((b) => Object.keys(b).length > 0, "Give at least one field to change.")),
  responses: { 200: "The updated user" },
});
