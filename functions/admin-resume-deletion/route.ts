import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "POST",
  path: "/admin/deletions/{userId}/resume",
  summary: "Resume an account deletion whose retries ran out (after fixing the cause its last error names): it continues at the first step not done; audited",
  tags: ["admin", "privacy"],
  auth: "staff",
  permission: "users:manage",
  params: z.strictObject({ userId: z.string().check(z.minLength(1), z.maxLength(64)) }),
  responses: { 202: "The deletion as GET /admin/deletions/{userId}, status PENDING", 404: "No deletion of this user", 409: "DELETION_DONE" },
});
