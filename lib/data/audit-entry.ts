import { randomUUID } from "node:crypto";

// Audit entries: append-only, one item per staff action or staff read of PII, in the target
// user's partition (`AUDIT#USER#<id>`) and under the actor in GSI1 (`AUDIT#ACTOR#<id>`), both
// newest first by their sort key. Entries never hold PII.

export const ENTITY = "AUDIT";

export interface AuditEvent {
  actorId: string;
  /** UPPER_SNAKE verb, e.g. REVIEW_DECIDED, REVIEW_VIEWED, USER_PII_VIEWED. */
  action: string;
  targetUserId: string;
  requestId: string;
  reason?: string;
  /** What was acted on besides the user (a submission id...). No PII. */
  subject?: string;
  details?: Record<string, string | number | boolean>;
}

export interface AuditEntry extends AuditEvent {
  entryId: string;
  at: string;
}

export const auditByTargetPk = (targetUserId: string) => `AUDIT#USER#${targetUserId}`;
export const auditByActorPk = (actorId: string) => `AUDIT#ACTOR#${actorId}`;

export function toAuditItem(event: AuditEvent, at = new Date().toISOString(), entryId: string = randomUUID()) {
  return {
    PK: auditByTargetPk(event.targetUserId),
    SK: `${at}#${entryId}`,
    GSI1PK: auditByActorPk(event.actorId),
    GSI1SK: `${at}#${entryId}`,
    entity: ENTITY,
    entryId,
    at,
    ...event,
  };
}

export const fromAuditItem = (item: Record<string, unknown>): AuditEntry => ({
  entryId: String(item.entryId),
  at: String(item.at),
  actorId: String(item.actorId),
  action: String(item.action),
  targetUserId: String(item.targetUserId),
  requestId: String(item.requestId),
  ...(item.reason !== undefined ? { reason: String(item.reason) } : {}),
  ...(item.subject !== undefined ? { subject: String(item.subject) } : {}),
  ...(item.details !== undefined ? { details: item.details as AuditEntry["details"] } : {}),
});
