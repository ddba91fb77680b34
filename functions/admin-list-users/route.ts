import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { listQuery, login } from "#lib/http/schemas";

export const route = defineRoute({
  method: "GET",
  path: "/admin/users",
  summary: "Find users by exact login (username, e-mail, phone) or list them by status",
  tags: ["admin"],
  auth: "staff",
  permission: "users:read",
  query: z
    .extend(listQuery, { login: z.optional(login), status: z.optional(z.enum(["PENDING_VERIFICATION", "ACTIVE", "SUSPENDED", "DELETED"])) })
    .check(z.refine((q) => (q.login === undefined) !== (q.status === undefined), "Give exactly one of login and status.")),
  responses: { 200: "{ items: [user (PII masked unless data:pii:read)], nextCursor }" },
});
