import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { password } from "#lib/http/schemas";

export const route = defineRoute({
  method: "DELETE",
  path: "/me",
  summary: "Delete the account (current password required): every session ends at once, the personal data is erased in the background (GET /admin/deletions/{userId} shows the progress)",
  tags: ["me", "privacy"],
  auth: "user",
  permission: "account:security",
  body: z.strictObject({ password }),
  responses: { 202: "{ status: \"DELETING\", requestedAt }", 400: "CURRENT_PASSWORD_INCORRECT", 429: "LOCKED_OUT" },
});
