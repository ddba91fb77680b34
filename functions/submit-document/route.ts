import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "POST",
  path: "/me/documents/{submissionId}/submit",
  summary: "Submit an uploaded document: automatic checks, then the review queue",
  tags: ["documents"],
  auth: "user",
  permission: "documents:submit",
  params: z.strictObject({ submissionId: z.uuid() }),
  responses: {
    202: "{ submissionId, status: PENDING_REVIEW | REJECTED, reason?, reasonCode? }",
    400: "UPLOAD missing or not as declared (VALIDATION_FAILED)",
    404: "Not the caller's submission",
    409: "ALREADY_SUBMITTED, REVIEW_PENDING (another submission is in review), UPLOAD_CHANGED or CHANGED_MEANWHILE (submit again)",
  },
});
