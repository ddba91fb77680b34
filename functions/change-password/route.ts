import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { password } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/me/password",
  summary: "Change the password; other sessions end unless signOutOtherDevices is false",
  tags: ["me"],
  auth: "user",
  permission: "account:security",
  body: z.strictObject({ currentPassword: password, newPassword: password, signOutOtherDevices: z.optional(z.boolean()) }),
  responses: { 204: "Changed", 400: "CURRENT_PASSWORD_INCORRECT or weak password" },
});
