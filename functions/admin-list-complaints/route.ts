import * as z from "zod/mini";
import { STATUSES } from "#lib/data/complaint-values";
import { defineRoute } from "#lib/http/route";
import { listQuery } from "#lib/http/schemas";

export const route = defineRoute({
  method: "GET",
  path: "/admin/complaints",
  summary: "A staff queue of complaints by status (default RECEIVED): most urgent first, then oldest; or the complaint of a ticket number",
  tags: ["admin", "complaints"],
  auth: "staff",
  permission: "complaints:manage",
  query: z.extend(listQuery, {
    status: z._default(z.enum(STATUSES), "RECEIVED"),
    ticketNo: z.optional(z.string().check(z.regex(/^C-\d{8}-\d{4,6}$/, { error: "A ticket number like C-20261202-0042.", abort: true }), z.maxLength(16))),
  }),
  responses: {
    200: "{ items: [{ complaintId, ticketNo, status, priority, category, channel, subject, dispute, complainantId, respondentId?, version, due?, escalated, createdAt, updatedAt }], nextCursor }",
  },
});
