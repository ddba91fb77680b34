import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { listQuery } from "#lib/http/schemas";

export const route = defineRoute({
  method: "GET",
  path: "/admin/admin-applications",
  summary: "Admin applications by status (default PENDING), oldest first",
  tags: ["admin"],
  auth: "staff",
  permission: "admin-applications:decide",
  query: z.extend(listQuery, { status: z._default(z.enum(["PENDING", "APPROVED", "REJECTED"]), "PENDING") }),
  responses: { 200: "{ items: [{ applicationId, userId, reason, status, createdAt, applicant: { username, level, status } }], nextCursor }" },
});
