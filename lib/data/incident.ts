import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import type { IncidentDetails, IncidentStatus, IncidentType, Phase, Severity, StepStatus } from "#lib/data/incident-values";
import { fieldsOf } from "#lib/data/keys";

// The incident entity: one item per incident (PK INCIDENT#<id>, SK INCIDENT) holding what was
// asked for, the record of every runbook step (before and after it ran), the incident-level
// effects (each applied once), a timeline and the lease of the process working on it. Its users
// (lib/data/incident-target.ts) live in the same partition. Listed by status on GSI1
// (`INCIDENTS#<status>`) and all together on GSI3 (`INCIDENTS`), newest first: incidents are few,
// so one partition per listing is no hot key.

export const ENTITY = "INCIDENT";

export type { IncidentDetails, IncidentStatus, IncidentType, Phase, Severity, StepStatus };

export interface StepRecord {
  status: StepStatus;
  startedAt?: string;
  lastRunAt?: string;
  finishedAt?: string;
  /** Failures in a row (a run that makes progress resets it); at the configured maximum the incident FAILS. */
  failures: number;
  totalFailures?: number;
  lastError?: string;
  counts: Record<string, number>;
  /** Where a paged step goes on (JSON), while it is not done. */
  cursor?: string;
}

export interface TimelineEntry {
  at: string;
  event: string;
  step?: string;
  detail?: string;
}

export interface IncidentEffect {
  at: string;
  outcome: string;
}

export interface IncidentRecord {
  incidentId: string;
  type: IncidentType;
  severity: Severity;
  userIds?: string[];
  details: IncidentDetails;
  requestedBy: string;
  /** Digest of what was asked: a redelivered message matches it, another incident reusing the id does not. */
  fingerprint: string;
  status: IncidentStatus;
  receivedAt: string;
  detectedAt: string;
  /** DATA_BREACH: detectedAt + 72 h, when the supervisory authority must have been told (GDPR art. 33). */
  authorityDeadline?: string;
  mitigatedAt?: string;
  steps: Record<string, StepRecord>;
  resolveSteps?: Record<string, StepRecord>;
  /** The runbook's step names in order (a map keeps none), for the views. */
  stepOrder: string[];
  resolveStepOrder?: string[];
  effects: Record<string, IncidentEffect>;
  timeline: TimelineEntry[];
  failure?: { phase: Phase; step: string; error: string; at: string };
  resolution?: { requestedBy: string; requestedAt: string; summary: string; resolvedAt?: string };
  report?: Record<string, unknown>;
  leaseHolder?: string;
  leaseExpiresAt?: number;
  updatedAt: string;
}

export const incidentPk = (incidentId: string) => `INCIDENT#${incidentId}`;
export const incidentKey = (incidentId: string) => ({ PK: incidentPk(incidentId), SK: "INCIDENT" });
/** The audit trail's target for incident-level actions (per-user actions target the user). */
export const incidentAuditTarget = (incidentId: string) => `incident:${incidentId}`;

export const incidentsByStatusPk = (status: IncidentStatus) => `INCIDENTS#${status}`;
export const ALL_INCIDENTS_PK = "INCIDENTS";
const listingSk = (receivedAt: string, incidentId: string) => `${receivedAt}#${incidentId}`;
export const statusIndex = (record: Pick<IncidentRecord, "status" | "receivedAt" | "incidentId">) => ({
  GSI1PK: incidentsByStatusPk(record.status),
  GSI1SK: listingSk(record.receivedAt, record.incidentId),
});

export const newStepRecord = (): StepRecord => ({ status: "PENDING", failures: 0, counts: {} });
export const stepsAttribute = (phase: Phase) => (phase === "respond" ? "steps" : "resolveSteps");

export function toIncidentItem(record: IncidentRecord) {
  return {
    ...incidentKey(record.incidentId),
    ...statusIndex(record),
    GSI3PK: ALL_INCIDENTS_PK,
    GSI3SK: listingSk(record.receivedAt, record.incidentId),
    entity: ENTITY,
    ...record,
  };
}

export function fromIncidentItem(item: Record<string, unknown> | undefined): IncidentRecord | undefined {
  if (item?.entity !== ENTITY) return undefined;
  return fieldsOf(item) as unknown as IncidentRecord;
}

export async function getIncident(incidentId: string, consistent = true): Promise<IncidentRecord | undefined> {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: incidentKey(incidentId), ConsistentRead: consistent }));
  return fromIncidentItem(out.Item);
}
