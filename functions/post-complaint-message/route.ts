import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { shownText } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/complaints/{complaintId}/messages",
  summary: "Write on a complaint's thread (complainant, staff, and the respondent once in mediation: their answer)",
  tags: ["complaints"],
  auth: "user",
  permission: "complaints:file",
  params: z.strictObject({ complaintId: z.uuid() }),
  body: z.strictObject({ body: shownText(2000).check(z.trim(), z.minLength(1)) }),
  responses: {
    201: "{ complaintId, seq, at, by }",
    404: "No such complaint, or not a party",
    409: "COMPLAINT_CLOSED, MEDIATION_NOT_STARTED, THREAD_FULL, CHANGED_MEANWHILE",
  },
});
