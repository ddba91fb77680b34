import * as z from "zod/mini";
import { ACTIONS } from "#lib/complaints/machine";
import { CATEGORIES, OUTCOMES, PRIORITIES } from "#lib/data/complaint-values";
import { defineRoute } from "#lib/http/route";
import { shownText, staffReason } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/admin/complaints/{complaintId}/transition",
  summary: "Move a complaint through the process (CLASSIFY, START_MEDIATION, START_INVESTIGATION, PROPOSE_RESOLUTION, RETURN_RESOLUTION, APPROVE_RESOLUTION, RESOLVE, CLOSE, REJECT)",
  tags: ["admin", "complaints"],
  auth: "staff",
  permission: "complaints:manage",
  params: z.strictObject({ complaintId: z.uuid() }),
  body: z.strictObject({
    action: z.enum(ACTIONS),
    note: staffReason,
    category: z.optional(z.enum(CATEGORIES)),
    priority: z.optional(z.enum(PRIORITIES)),
    resolution: z.optional(shownText(2000).check(z.trim(), z.minLength(1))),
    outcome: z.optional(z.enum(OUTCOMES)),
    reason: z.optional(staffReason),
    expectedVersion: z.optional(z.number().check(z.int(), z.gte(1))),
  }),
  responses: {
    200: "{ complaintId, ticketNo, status, priority, version, creditEvent? }",
    400: "VALIDATION_FAILED (CLASSIFY needs category and priority, PROPOSE_RESOLUTION resolution and outcome, REJECT reason)",
    403: "SELF_APPROVAL (four eyes), OWN_COMPLAINT, FORBIDDEN (approving needs complaints:approve)",
    404: "No such complaint",
    409: "ILLEGAL_TRANSITION (with currentStatus and legalActions), CHANGED_MEANWHILE (another change came first, or expectedVersion is not the current one)",
  },
});
