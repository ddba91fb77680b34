import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "GET",
  path: "/admin/incidents/{incidentId}",
  summary: "One incident: status, its runbook's steps (status, when, failures, last error, counts), timeline, effects, resolution and report",
  tags: ["admin", "incidents"],
  auth: "staff",
  permission: "incidents:manage",
  params: z.strictObject({ incidentId: z.uuid() }),
  responses: {
    200: "{ incidentId, type, severity, status, steps: [{ name, status, at, failures, lastError?, counts }], timeline: [{ at, event, step?, detail? }], authorityDeadline?, failure?, resolution?: { summary, steps }, report? }",
    404: "No such incident",
  },
});
