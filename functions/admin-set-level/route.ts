import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { staffReason } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/admin/users/{userId}/level",
  summary: "Set a user's level by hand, pinned (the nightly job leaves it alone) for good or until pinnedUntil",
  tags: ["admin"],
  auth: "staff",
  permission: "levels:manage",
  params: z.strictObject({ userId: z.string().check(z.minLength(1), z.maxLength(64)) }),
  body: z.strictObject({ level: z.enum(["NEWBIE", "ACTIVE", "ADVANCED", "ADMIN"]), reason: staffReason, pinnedUntil: z.optional(z.iso.datetime({ offset: true, abort: true }).check(z.maxLength(40))) }),
  responses: { 200: "{ userId, level, pinnedUntil }", 400: "ADMIN_NEEDS_APPLICATION, PIN_IN_THE_PAST", 403: "SELF_CHANGE", 404: "No such user", 409: "CHANGED_MEANWHILE" },
});
