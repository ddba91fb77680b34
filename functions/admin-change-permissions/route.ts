import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { staffReason } from "#lib/http/schemas";

const names = z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.maxLength(50));

export const route = defineRoute({
  method: "POST",
  path: "/admin/users/{userId}/permissions",
  summary: "Grant or revoke single permissions of a user",
  tags: ["admin"],
  auth: "staff",
  permission: "permissions:manage",
  params: z.strictObject({ userId: z.string().check(z.minLength(1), z.maxLength(64)) }),
  body: z.strictObject({ grant: z._default(names, []), revoke: z._default(names, []), reason: staffReason }),
  responses: { 200: "{ userId, permissions, grants, revokes }", 400: "UNKNOWN_PERMISSION (lists the valid ones), NOT_REVOCABLE", 403: "SELF_CHANGE", 404: "No such user", 409: "CHANGED_MEANWHILE" },
});
