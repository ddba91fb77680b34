import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { listQuery } from "#lib/http/schemas";

export const route = defineRoute({
  method: "GET",
  path: "/admin/audit",
  summary: "Audit entries about a user or by a staff member, newest first",
  tags: ["admin"],
  auth: "staff",
  permission: "audit:read",
  query: z
    .extend(listQuery, { userId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))), actorId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))) })
    .check(z.refine((q) => (q.userId === undefined) !== (q.actorId === undefined), "Give exactly one of userId and actorId.")),
  responses: { 200: "{ items: [{ entryId, at, actorId, action, targetUserId, requestId, reason?, subject? }], nextCursor }" },
});
