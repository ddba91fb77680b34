import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { listQuery } from "#lib/http/schemas";

export const route = defineRoute({
  method: "GET",
  path: "/admin/reviews",
  summary: "The document review queue by status, oldest first",
  tags: ["admin"],
  auth: "staff",
  permission: "reviews:read",
  query: z.extend(listQuery, { status: z._default(z.enum(["PENDING_REVIEW", "APPROVED", "REJECTED"]), "PENDING_REVIEW") }),
  responses: { 200: "{ items: [{ submissionId, userId, type, status, submittedAt, fullName (masked), documentNumber (masked) }], nextCursor }" },
});
