import { defineRoute } from "#lib/http/route";
import { incidentRequest } from "#lib/incidents/message";

export const route = defineRoute({
  method: "POST",
  path: "/admin/incidents",
  summary: "Open an incident: its runbook is queued (the same message as `npm run incident`) and carried out by the incident-response consumer",
  tags: ["admin", "incidents"],
  auth: "staff",
  permission: "incidents:manage",
  body: incidentRequest,
  responses: { 202: "{ incidentId, status: QUEUED }; follow it with GET /admin/incidents/{incidentId}", 403: "SELF_CHANGE (an incident about one's own account)" },
});
