import { randomUUID } from "node:crypto";
import { getIncident } from "#lib/data/incident";
import { conflict, forbidden, notFound } from "#lib/errors";
import { requestResolve } from "#lib/incidents/admission";
import { type IncidentRequest, openMessage } from "#lib/incidents/message";
import { enqueue } from "#lib/incidents/queue";

// What staff ask through the API. Opening an incident puts exactly the message `npm run incident`
// puts on the queue (the consumer opens and runs it); resolving records the request and queues the
// recovery. Staff never open an incident about themselves (their own standing is another staff
// member's decision, as everywhere).

export async function requestIncident(staff: { userId: string }, request: IncidentRequest): Promise<{ incidentId: string; status: "QUEUED" }> {
  if ("userIds" in request && request.userIds?.includes(staff.userId)) {
    throw forbidden("SELF_CHANGE", "Staff cannot open an incident about their own account; ask another member of staff.");
  }
  const incidentId = randomUUID();
  await enqueue(openMessage(incidentId, staff.userId, request));
  return { incidentId, status: "QUEUED" };
}

/**
 * POST /admin/incidents/{id}/resolve: refused while the runbook runs (409) or for an unknown
 * incident (404); otherwise the request is recorded (RESOLVING) and the RESOLVE message queued.
 * A retry after a failure between the two records nothing new and queues the message again.
 */
export async function resolveIncident(staff: { userId: string }, incidentId: string, summary: string): Promise<{ incidentId: string; status: string }> {
  const incident = await getIncident(incidentId);
  if (!incident) throw notFound("No such incident.");
  if (incident.status === "RUNNING") throw conflict("INCIDENT_IN_PROGRESS", "The runbook is still running; resolve the incident once it is MITIGATED (or FAILED).");
  if (incident.status === "RESOLVED") throw conflict("ALREADY_RESOLVED", "The incident is resolved already.");
  const resolving = await requestResolve(incidentId, summary, staff.userId);
  await enqueue({ action: "RESOLVE", incidentId, requestedBy: staff.userId, summary });
  return { incidentId, status: resolving.status };
}
