import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "POST",
  path: "/admin/incidents/{incidentId}/resolve",
  summary: "Resolve an incident: its temporary measures are lifted (only its own) and the post-incident report written, by the incident-response consumer",
  tags: ["admin", "incidents"],
  auth: "staff",
  permission: "incidents:manage",
  params: z.strictObject({ incidentId: z.uuid() }),
  body: z.strictObject({ summary: z.string().check(z.trim(), z.minLength(3), z.maxLength(2000)) }),
  responses: { 200: "{ incidentId, status: RESOLVING } (RESOLVED once the recovery ran)", 404: "No such incident", 409: "INCIDENT_IN_PROGRESS (the runbook still runs), ALREADY_RESOLVED" },
});
