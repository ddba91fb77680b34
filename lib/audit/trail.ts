import { tableName } from "#lib/clients/dynamodb";
import { type AuditEntry, type AuditEvent, auditByActorPk, auditByTargetPk, fromAuditItem, toAuditItem } from "#lib/data/audit-entry";
import { batchWrite } from "#lib/data/batch";
import { type Page, queryPage } from "#lib/data/query";

// The audit trail, for every feature: append-only entries of staff actions and staff reads of PII
// (lib/data/audit-entry.ts). Both lookups are Queries, newest first.

export type { AuditEntry, AuditEvent };

/** A transaction item that appends the entry (and never overwrites one), beside the change it records. */
export const auditPut = (event: AuditEvent) => ({
  Put: { TableName: tableName(), Item: toAuditItem(event), ConditionExpression: "attribute_not_exists(PK)" },
});

/** Appends entries (a staff read of several users' PII writes one per user). */
export async function recordAudit(events: AuditEvent[]): Promise<void> {
  await batchWrite(events.map((e) => ({ PutRequest: { Item: toAuditItem(e) } })));
}

export type AuditQuery = { userId: string; actorId?: undefined } | { actorId: string; userId?: undefined };

/** Entries about a user or by an actor, newest first, one Query per page. */
export async function listAudit(query: AuditQuery, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
  const byActor = query.actorId !== undefined;
  const partition = byActor ? auditByActorPk(query.actorId) : auditByTargetPk(query.userId);
  const page = await queryPage(
    `audit:${partition}`,
    {
      ...(byActor ? { IndexName: "GSI1" } : {}),
      KeyConditionExpression: `${byActor ? "GSI1PK" : "PK"} = :pk`,
      ExpressionAttributeValues: { ":pk": partition },
      ScanIndexForward: false,
    },
    limit,
    cursor,
  );
  return { items: page.items.map(fromAuditItem), nextCursor: page.nextCursor };
}
