import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { listQuery, login } from "#lib/http/schemas";

export const route = defineRoute({
  method: "GET",
  path: "/admin/users",
  summary: "Find users by exact login (username, e-mail, phone) or list them by status or by level",
  tags: ["admin"],
  auth: "staff",
  permission: "users:read",
  query: z
    .extend(listQuery, {
      login: z.optional(login),
      status: z.optional(z.enum(["PENDING_VERIFICATION", "ACTIVE", "SUSPENDED", "DELETED"])),
      level: z.optional(z.enum(["NEWBIE", "ACTIVE", "ADVANCED", "ADMIN"])),
    })
    .check(z.refine((q) => [q.login, q.status, q.level].filter((v) => v !== undefined).length === 1, "Give exactly one of login, status and level.")),
  responses: { 200: "{ items: [user (PII masked unless data:pii:read)], nextCursor }" },
});
