import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { auditPut } from "#lib/audit/trail";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { config } from "#lib/config";
import {
  fromIncidentItem,
  incidentAuditTarget,
  incidentKey,
  type IncidentRecord,
  type IncidentStatus,
  incidentsByStatusPk,
  type Phase,
  stepsAttribute,
  type TimelineEntry,
} from "#lib/data/incident";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";

// The incident's own record of its run: a lease (one process works on an incident at a time; a
// dead one's lease expires and the next delivery takes over), and each step's record written
// before it runs, after each page of progress, and when it is done or failed. Every write after
// the lease is taken is conditional on still holding it, so a process that lost it (it was too
// slow, another took over) can no longer write anything and stops.

export interface Lease {
  incidentId: string;
  holder: string;
}

export class LeaseLost extends Error {
  constructor(incidentId: string) {
    super(`the lease on incident ${incidentId} was taken over: this process stops`);
    this.name = "LeaseLost";
  }
}

const leaseSeconds = () => config().incidents.leaseSeconds;
const entry = (event: string, step?: string, detail?: string): TimelineEntry[] => [{ at: new Date().toISOString(), event, ...(step ? { step } : {}), ...(detail ? { detail: detail.slice(0, 500) } : {}) }];

/** Takes the incident's lease if it is free or expired; undefined while another process holds it. */
export async function acquireLease(incidentId: string, holder: string, now = Date.now()): Promise<IncidentRecord | undefined> {
  try {
    const out = await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: incidentKey(incidentId),
        UpdateExpression: "SET leaseHolder = :me, leaseExpiresAt = :until",
        ConditionExpression: "attribute_exists(PK) AND (attribute_not_exists(leaseExpiresAt) OR leaseExpiresAt < :now)",
        ExpressionAttributeValues: { ":me": holder, ":until": now + leaseSeconds() * 1000, ":now": now },
        ReturnValues: "ALL_NEW",
      }),
    );
    return fromIncidentItem(out.Attributes);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/** Frees the lease at once (the next message need not wait for it to expire). */
export async function releaseLease(lease: Lease): Promise<void> {
  try {
    await update(lease, "SET leaseExpiresAt = :zero", { ":zero": 0 });
  } catch (error) {
    if (!(error instanceof LeaseLost)) throw error;
  }
}

/** One conditional update of the incident under the lease (which it renews). */
async function update(lease: Lease, expression: string, values: Record<string, unknown>, names: Record<string, string> = {}): Promise<Record<string, unknown> | undefined> {
  try {
    const out = await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: incidentKey(lease.incidentId),
        UpdateExpression: expression,
        ConditionExpression: "leaseHolder = :me",
        ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
        ExpressionAttributeValues: { ...values, ":me": lease.holder },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    return out.Attributes;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new LeaseLost(lease.incidentId);
    throw error;
  }
}

const stepNames = (phase: Phase, step: string) => ({ "#phase": stepsAttribute(phase), "#step": step });
const renewal = () => ({ ":until": Date.now() + leaseSeconds() * 1000, ":now": new Date().toISOString() });

/** Before a step runs: RUNNING, when it first started (and in the timeline the first time). */
export async function stepStarted(lease: Lease, phase: Phase, step: string, first: boolean): Promise<void> {
  await update(
    lease,
    `SET #phase.#step.#status = :running, #phase.#step.lastRunAt = :now, #phase.#step.startedAt = if_not_exists(#phase.#step.startedAt, :now), leaseExpiresAt = :until, updatedAt = :now` +
      (first ? ", timeline = list_append(timeline, :entry)" : ""),
    { ":running": "RUNNING", ...renewal(), ...(first ? { ":entry": entry("STEP_STARTED", step) } : {}) },
    { ...stepNames(phase, step), "#status": "status" },
  );
}

/** After a page: where to go on and the counts so far (a process that takes over starts from here). */
export async function stepProgress(lease: Lease, phase: Phase, step: string, cursor: string, counts: Record<string, number>): Promise<void> {
  await update(lease, "SET #phase.#step.#cursor = :cursor, #phase.#step.counts = :counts, #phase.#step.failures = :zero, leaseExpiresAt = :until, updatedAt = :now", { ":cursor": cursor, ":counts": counts, ":zero": 0, ...renewal() }, {
    ...stepNames(phase, step),
    "#cursor": "cursor",
  });
}

export async function stepDone(lease: Lease, phase: Phase, step: string, counts: Record<string, number>): Promise<void> {
  await update(
    lease,
    "SET #phase.#step.#status = :done, #phase.#step.finishedAt = :now, #phase.#step.counts = :counts, #phase.#step.failures = :zero, timeline = list_append(timeline, :entry), leaseExpiresAt = :until, updatedAt = :now REMOVE #phase.#step.#cursor",
    { ":done": "DONE", ":counts": counts, ":zero": 0, ":entry": entry("STEP_DONE", step, countsText(counts)), ...renewal() },
    { ...stepNames(phase, step), "#status": "status", "#cursor": "cursor" },
  );
}

/** A step threw: recorded with its error; returns its failures in a row, this one included. */
export async function stepFailed(lease: Lease, phase: Phase, step: string, error: string): Promise<number> {
  const out = await update(
    lease,
    "SET #phase.#step.#status = :failed, #phase.#step.lastError = :error, timeline = list_append(timeline, :entry), updatedAt = :now ADD #phase.#step.failures :one, #phase.#step.totalFailures :one",
    { ":failed": "FAILED", ":error": error.slice(0, 500), ":one": 1, ":entry": entry("STEP_FAILED", step, error), ":now": new Date().toISOString() },
    { ...stepNames(phase, step), "#status": "status" },
  );
  const record = (out?.[stepsAttribute(phase)] as Record<string, { failures?: number }> | undefined)?.[step];
  return record?.failures ?? 1;
}

/** Out of tries: the incident is FAILED with the step and its error, until ops retry or resolve it. */
export async function incidentFailed(lease: Lease, incident: IncidentRecord, phase: Phase, step: string, error: string, actor: string): Promise<void> {
  const at = new Date().toISOString();
  await underLease(lease, incident, "FAILED", "SET failure = :failure", { ":failure": { phase, step, error: error.slice(0, 500), at } }, entry("FAILED", step, error), {
    actor,
    action: "INCIDENT_FAILED",
    details: { phase, step },
  });
}

/** Every step of the phase is done: MITIGATED (the runbook) or RESOLVED (the recovery). */
export async function phaseDone(lease: Lease, incident: IncidentRecord, phase: Phase, actor: string): Promise<void> {
  const at = new Date().toISOString();
  const status = phase === "respond" ? "MITIGATED" : "RESOLVED";
  const set = phase === "respond" ? "SET mitigatedAt = :at" : "SET resolution.resolvedAt = :at";
  await underLease(lease, incident, status, set, { ":at": at }, entry(status), { actor, action: phase === "respond" ? "INCIDENT_MITIGATED" : "INCIDENT_RESOLVED", details: { type: incident.type } });
}

/** A status change with its timeline entry and audit entry, in one transaction, under the lease. */
async function underLease(
  lease: Lease,
  incident: IncidentRecord,
  status: IncidentStatus,
  set: string,
  values: Record<string, unknown>,
  timeline: TimelineEntry[],
  audit: { actor: string; action: string; details: Record<string, string> },
): Promise<void> {
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: tableName(),
            Key: incidentKey(lease.incidentId),
            UpdateExpression: `${set}, #status = :status, GSI1PK = :gsi1, timeline = list_append(timeline, :entry), updatedAt = :now`,
            ConditionExpression: "leaseHolder = :me",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: { ...values, ":status": status, ":gsi1": incidentsByStatusPk(status), ":entry": timeline, ":now": new Date().toISOString(), ":me": lease.holder },
          },
        },
        auditPut({
          actorId: audit.actor,
          action: audit.action,
          targetUserId: incidentAuditTarget(incident.incidentId),
          requestId: incidentAuditTarget(incident.incidentId),
          reason: incident.details.summary,
          subject: incidentAuditTarget(incident.incidentId),
          details: audit.details,
        }),
      ],
    });
  } catch (error) {
    if (error instanceof TransactionCancelled && error.failedAt() === 0) throw new LeaseLost(lease.incidentId);
    throw error;
  }
}

const countsText = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
