import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { staffReason } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/me/admin-application",
  summary: "Apply to become an admin (an existing admin decides)",
  tags: ["me", "admin"],
  auth: "user",
  permission: "admin:apply",
  body: z.strictObject({ reason: staffReason }),
  responses: { 201: "{ applicationId, status: PENDING, createdAt }", 409: "APPLICATION_PENDING, ALREADY_ADMIN" },
});
