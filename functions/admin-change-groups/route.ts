import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { staffReason } from "#lib/http/schemas";

const names = z.array(z.string().check(z.minLength(1), z.maxLength(32))).check(z.maxLength(10));

export const route = defineRoute({
  method: "POST",
  path: "/admin/users/{userId}/groups",
  summary: "Add or remove staff groups; effective on the target's next request, mirrored to Cognito",
  tags: ["admin"],
  auth: "staff",
  permission: "groups:manage",
  params: z.strictObject({ userId: z.string().check(z.minLength(1), z.maxLength(64)) }),
  body: z.strictObject({ add: z._default(names, []), remove: z._default(names, []), reason: staffReason }),
  responses: { 200: "{ userId, groups }", 400: "UNKNOWN_GROUP (lists the valid ones)", 403: "SELF_CHANGE", 404: "No such user", 409: "CHANGED_MEANWHILE" },
});
