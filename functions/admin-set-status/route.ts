import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { staffReason } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/admin/users/{userId}/status",
  summary: "Suspend a user (every session ends at once, login refused) or make them active again",
  tags: ["admin"],
  auth: "staff",
  permission: "users:manage",
  params: z.strictObject({ userId: z.string().check(z.minLength(1), z.maxLength(64)) }),
  body: z.strictObject({ status: z.enum(["ACTIVE", "SUSPENDED"]), reason: staffReason }),
  responses: { 200: "{ userId, status }", 403: "SELF_CHANGE", 404: "No such user", 409: "ILLEGAL_STATUS_CHANGE, CHANGED_MEANWHILE" },
});
