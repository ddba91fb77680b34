import { randomUUID } from "node:crypto";
import { BatchWriteCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { decodeCursor, encodeCursor, type Page } from "#lib/admin/pagination";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { keys } from "#lib/data/keys";

// The audit trail, for every feature: append-only entries of staff actions and staff reads of PII.
// One item per entry, in the target user's partition (`AUDIT#USER#<id>`), and under the actor in
// GSI1 (`AUDIT#ACTOR#<id>`): both lookups are Queries, newest first. Entries never hold PII.

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

/** The item of one entry: a caller may put it in its own transaction (with the change it records). */
export function auditItem(event: AuditEvent, at = new Date().toISOString()) {
  const entryId = randomUUID();
  return {
    ...keys.audit(event.targetUserId, at, entryId),
    ...keys.auditByActorIndex(event.actorId, at, entryId),
    type: "AUDIT",
    entryId,
    at,
    ...event,
  };
}

/** A transaction item that appends the entry (and never overwrites one). */
export const auditPut = (event: AuditEvent) => ({
  Put: { TableName: tableName(), Item: auditItem(event), ConditionExpression: "attribute_not_exists(PK)" },
});

/** Appends entries (a staff read of several users' PII writes one per user). */
export async function recordAudit(events: AuditEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 25) {
    let pending: Record<string, unknown>[] = events.slice(i, i + 25).map((e) => ({ PutRequest: { Item: auditItem(e) } }));
    for (let round = 0; pending.length > 0; round++) {
      if (round >= 5) throw new Error("audit entries could not be written");
      const out = await dynamodb.send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending as never } }));
      pending = (out.UnprocessedItems?.[tableName()] as Record<string, unknown>[] | undefined) ?? [];
      if (pending.length > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** round));
    }
  }
}

export type AuditQuery = { userId: string; actorId?: undefined } | { actorId: string; userId?: undefined };

const toEntry = (item: Record<string, unknown>): AuditEntry => ({
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

/** Entries about a user or by an actor, newest first, one Query per page. */
export async function listAudit(query: AuditQuery, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
  const byActor = query.actorId !== undefined;
  const partition = byActor ? `AUDIT#ACTOR#${query.actorId}` : `AUDIT#USER#${query.userId}`;
  const pkName = byActor ? "GSI1PK" : "PK";
  const start = cursor
    ? decodeCursor(cursor, (v): v is Record<string, string> => (v as Record<string, unknown> | null)?.[pkName] === partition)
    : undefined;
  const out = await dynamodb.send(
    new QueryCommand({
      TableName: tableName(),
      ...(byActor ? { IndexName: "GSI1" } : {}),
      KeyConditionExpression: `${pkName} = :pk`,
      ExpressionAttributeValues: { ":pk": partition },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  );
  return { items: (out.Items ?? []).map(toEntry), nextCursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : null };
}
