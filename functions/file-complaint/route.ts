import * as z from "zod/mini";
import { CATEGORIES, CHANNELS } from "#lib/data/complaint-values";
import { defineRoute } from "#lib/http/route";
import { shownText } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/complaints",
  summary: "File a complaint (a dispute when it names another user); acknowledged at once by mail",
  tags: ["complaints"],
  auth: "user",
  permission: "complaints:file",
  body: z.strictObject({
    category: z.enum(CATEGORIES),
    channel: z.enum(CHANNELS),
    subject: shownText(200).check(z.trim(), z.minLength(1)),
    description: shownText(5000).check(z.trim(), z.minLength(1)),
    againstUserId: z.optional(z.uuid()),
    orderRef: z.optional(z.string().check(z.regex(/^[A-Za-z0-9._:#/-]{1,64}$/, { error: "1–64 letters, digits and . _ : # / -", abort: true }), z.maxLength(64))),
  }),
  responses: {
    201: "{ complaintId, ticketNo, status: RECEIVED, priority, createdAt, firstResponseDueAt, resolutionDueAt }",
    400: "SELF_COMPLAINT, UNKNOWN_USER",
    429: "RATE_LIMITED (the day's complaints; fewer under POOR credit), with Retry-After",
  },
});
