import * as z from "zod/mini";
import { INCIDENT_STATUSES } from "#lib/data/incident-values";
import { defineRoute } from "#lib/http/route";
import { listQuery } from "#lib/http/schemas";

export const route = defineRoute({
  method: "GET",
  path: "/admin/incidents",
  summary: "Incidents, newest first: all of them, or those in one status",
  tags: ["admin", "incidents"],
  auth: "staff",
  permission: "incidents:manage",
  query: z.extend(listQuery, { status: z.optional(z.enum(INCIDENT_STATUSES)) }),
  responses: { 200: "{ items: [{ incidentId, type, severity, status, requestedBy, receivedAt, detectedAt, authorityDeadline?, failedStep?, users, updatedAt }], nextCursor }" },
});
