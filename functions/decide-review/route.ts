import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { boundedText } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/admin/reviews/{submissionId}/decision",
  summary: "Approve or reject a submission (once)",
  tags: ["admin"],
  auth: "staff",
  permission: "reviews:decide",
  params: z.strictObject({ submissionId: z.uuid() }),
  body: z.strictObject({ decision: z.enum(["APPROVE", "REJECT"]), reason: z.optional(boundedText(1, 500)) }),
  responses: { 200: "{ submissionId, status, decision, reason, decidedAt, decidedBy }", 404: "No such submission", 409: "ALREADY_DECIDED, CHANGED_MEANWHILE" },
});
