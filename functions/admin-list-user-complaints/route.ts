import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { listQuery } from "#lib/http/schemas";

export const route = defineRoute({
  method: "GET",
  path: "/admin/users/{userId}/complaints",
  summary: "Complaints a user filed, newest first, or (?role=respondent) those against them in mediation or later, as lines of the staff queue",
  tags: ["admin", "complaints"],
  auth: "staff",
  permission: "complaints:manage",
  params: z.strictObject({ userId: z.string().check(z.minLength(1), z.maxLength(64)) }),
  query: z.extend(listQuery, { role: z._default(z.enum(["complainant", "respondent"]), "complainant") }),
  responses: {
    200: "{ items: [{ complaintId, ticketNo, status, priority, category, channel, subject, dispute, complainantId, respondentId?, version, due?, escalated, createdAt, updatedAt }], nextCursor }",
    400: "INVALID_CURSOR",
    404: "No such user",
  },
});
