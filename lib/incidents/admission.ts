import { auditPut } from "#lib/audit/trail";
import { tableName } from "#lib/clients/dynamodb";
import {
  getIncident,
  incidentAuditTarget,
  incidentKey,
  type IncidentRecord,
  incidentsByStatusPk,
  newStepRecord,
  stepsAttribute,
  toIncidentItem,
} from "#lib/data/incident";
import { type TransactItem, TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { conflict, notFound } from "#lib/errors";
import { fingerprintOf, type OpenMessage } from "#lib/incidents/message";
import { stepNamesOf } from "#lib/incidents/runbooks";

// How an incident comes in and changes hands: opened by its first message (a duplicate of it
// changes nothing; another incident reusing its id is refused), a resolve asked for (the route or
// a RESOLVE message), a FAILED incident retried. Each change is one transaction with its audit entry.

/** A message that names an incident it cannot act on: dead-lettered, since no retry can fix it. */
export class Rejected extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "Rejected";
  }
}

const audit = (incidentId: string, actorId: string, action: string, reason: string, details: Record<string, string> = {}) =>
  auditPut({ actorId, action, targetUserId: incidentAuditTarget(incidentId), requestId: incidentAuditTarget(incidentId), reason, subject: incidentAuditTarget(incidentId), details });

const initialSteps = (names: string[]) => Object.fromEntries(names.map((name) => [name, newStepRecord()]));
const entry = (event: string, detail?: string) => [{ at: new Date().toISOString(), event, ...(detail ? { detail: detail.slice(0, 500) } : {}) }];

/** Puts the incident (RUNNING, every step PENDING) unless it exists; a different incident under the same id is Rejected. */
export async function openIncident(message: OpenMessage, now = new Date()): Promise<"OPENED" | "DUPLICATE"> {
  const receivedAt = now.toISOString();
  const record: IncidentRecord = {
    incidentId: message.incidentId,
    type: message.type,
    severity: message.severity,
    ...(message.userIds ? { userIds: message.userIds } : {}),
    details: message.details,
    requestedBy: message.requestedBy,
    fingerprint: fingerprintOf(message),
    status: "RUNNING",
    receivedAt,
    detectedAt: message.details.detectedAt ?? receivedAt,
    steps: initialSteps(stepNamesOf(message.type, "respond")),
    stepOrder: stepNamesOf(message.type, "respond"),
    effects: {},
    timeline: entry("OPENED", `${message.type} ${message.severity}`),
    updatedAt: receivedAt,
  };
  try {
    await transactWrite({
      TransactItems: [
        { Put: { TableName: tableName(), Item: toIncidentItem(record), ConditionExpression: "attribute_not_exists(PK)" } },
        audit(message.incidentId, message.requestedBy, "INCIDENT_OPENED", message.details.summary, { type: message.type, severity: message.severity, users: String(message.userIds?.length ?? 0) }),
      ],
    });
    return "OPENED";
  } catch (error) {
    if (!(error instanceof TransactionCancelled) || error.failedAt() !== 0) throw error;
    const existing = await getIncident(message.incidentId);
    if (existing?.fingerprint === record.fingerprint) return "DUPLICATE";
    throw new Rejected("incidentId: already used by another incident");
  }
}

/** A status change of an existing incident with its timeline and audit entries, conditional on its status. */
async function transition(incidentId: string, update: { set: string; remove?: string; condition: string; values: Record<string, unknown>; names?: Record<string, string> }, audited: TransactItem) {
  await transactWrite({
    TransactItems: [
      {
        Update: {
          TableName: tableName(),
          Key: incidentKey(incidentId),
          UpdateExpression: `SET ${update.set}, GSI1PK = :gsi1, timeline = list_append(timeline, :entry), updatedAt = :now${update.remove ? ` REMOVE ${update.remove}` : ""}`,
          ConditionExpression: `attribute_exists(PK) AND (${update.condition})`,
          ExpressionAttributeNames: { "#status": "status", ...update.names },
          ExpressionAttributeValues: { ...update.values, ":now": new Date().toISOString() },
        },
      },
      audited,
    ],
  });
}

/**
 * Asks for the recovery of a MITIGATED or FAILED incident: RESOLVING, with the summary and who
 * asked; the consumer then runs the resolve steps. Asking again once asked changes nothing; a
 * RUNNING incident answers 409 (its measures are still being taken).
 */
export async function requestResolve(incidentId: string, summary: string, requestedBy: string): Promise<IncidentRecord> {
  const incident = await getIncident(incidentId);
  if (!incident) throw notFound("No such incident.");
  if (incident.status === "RESOLVING" || incident.status === "RESOLVED") return incident;
  if (incident.status === "RUNNING") throw conflict("INCIDENT_IN_PROGRESS", "The runbook is still running; resolve the incident once it is MITIGATED (or FAILED).");
  const resolution = { requestedBy, requestedAt: new Date().toISOString(), summary };
  try {
    await transition(
      incidentId,
      {
        set: "#status = :resolving, resolution = :resolution, resolveSteps = :steps, resolveStepOrder = :order",
        condition: "#status = :seen",
        values: { ":resolving": "RESOLVING", ":seen": incident.status, ":resolution": resolution, ":steps": initialSteps(stepNamesOf(incident.type, "resolve")), ":order": stepNamesOf(incident.type, "resolve"), ":gsi1": incidentsByStatusPk("RESOLVING"), ":entry": entry("RESOLVE_REQUESTED") },
      },
      audit(incidentId, requestedBy, "INCIDENT_RESOLVE_REQUESTED", summary, { from: incident.status }),
    );
  } catch (error) {
    if (!(error instanceof TransactionCancelled)) throw error;
    // Asked twice at once (the route and its queued message): the other request recorded it.
    const now = await getIncident(incidentId);
    if (now?.status === "RESOLVING" || now?.status === "RESOLVED") return now;
    throw conflict("CHANGED_MEANWHILE", "The incident changed meanwhile; read it again.");
  }
  return { ...incident, status: "RESOLVING", resolution };
}

/** Sends a FAILED incident back to its failed step (failures reset): ops fixed the cause. */
export async function retryIncident(incidentId: string, requestedBy: string): Promise<void> {
  const incident = await getIncident(incidentId);
  if (!incident) throw new Rejected("incidentId: no such incident");
  if (incident.status !== "FAILED" || !incident.failure) return; // a duplicate retry, or nothing to retry
  const { phase, step } = incident.failure;
  const status = phase === "respond" ? "RUNNING" : "RESOLVING";
  await transition(
    incidentId,
    {
      set: "#status = :status, #phase.#step.failures = :zero",
      remove: "failure",
      condition: "#status = :failed",
      values: { ":status": status, ":failed": "FAILED", ":zero": 0, ":gsi1": incidentsByStatusPk(status), ":entry": entry("RETRIED", step) },
      names: { "#phase": stepsAttribute(phase), "#step": step },
    },
    audit(incidentId, requestedBy, "INCIDENT_RETRIED", `retry of ${step}`, { phase, step }),
  );
}
