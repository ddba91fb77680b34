import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { staffReason } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/admin/admin-applications/{applicationId}/decision",
  summary: "Approve (level ADMIN + the admin group, effective on the applicant's next request) or reject; never one's own",
  tags: ["admin"],
  auth: "staff",
  permission: "admin-applications:decide",
  params: z.strictObject({ applicationId: z.uuid() }),
  body: z.strictObject({ decision: z.enum(["APPROVE", "REJECT"]), reason: staffReason }),
  responses: { 200: "{ applicationId, status, decidedAt, decidedBy }", 403: "SELF_DECISION", 404: "No such application", 409: "ALREADY_DECIDED, CHANGED_MEANWHILE" },
});
