import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { fieldsOf } from "#lib/data/keys";

// The record of one account deletion (DELETE /me): `DELETION#<userId> / DELETION`, outside the
// user's partition so erasing that partition never touches it. Written in the request's
// transaction (status PENDING), then carried out step by step by the worker, which records each
// step before it runs (RUNNING) and after (DONE with counts, or FAILED with the error). A new
// PENDING image on the table's stream starts the worker (functions/privacy.yml); a resume sets
// PENDING again. The record holds ids and counts only, never PII.

export const ENTITY = "DELETION";

export { DELETION_STEPS, type DeletionStep } from "#lib/data/deletion-values";

export type DeletionStatus = "PENDING" | "RUNNING" | "FAILED" | "DONE";
export type StepStatus = "RUNNING" | "DONE" | "FAILED";

export interface StepRecord {
  status: StepStatus;
  startedAt?: string;
  finishedAt?: string;
  failures?: number;
  lastError?: string;
  counts?: Record<string, number>;
}

export interface DeletionRecord {
  userId: string;
  status: DeletionStatus;
  requestedAt: string;
  requestId: string;
  /** Each step's record by name (lib/privacy/deletion-steps.ts names them, in order). */
  steps: Record<string, StepRecord>;
  attempts: number;
  updatedAt: string;
  finishedAt?: string;
  resumedBy?: string;
}

export const deletionKey = (userId: string) => ({ PK: `DELETION#${userId}`, SK: "DELETION" });

export const toDeletionItem = (record: DeletionRecord) => ({ ...deletionKey(record.userId), entity: ENTITY, ...record });

export const fromDeletionItem = (item: Record<string, unknown> | undefined): DeletionRecord | undefined =>
  item?.entity === ENTITY ? (fieldsOf(item) as unknown as DeletionRecord) : undefined;

export async function getDeletion(userId: string): Promise<DeletionRecord | undefined> {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: deletionKey(userId), ConsistentRead: true }));
  return fromDeletionItem(out.Item);
}

/** Sets the record's status (and, optionally, one step's record); returns the record as written. */
export async function updateDeletion(userId: string, status: DeletionStatus, step?: { name: string; record: StepRecord }, extra: Record<string, unknown> = {}): Promise<DeletionRecord> {
  const now = new Date().toISOString();
  const sets = ["#status = :status", "updatedAt = :now", ...(step ? ["steps.#step = :step"] : []), ...Object.keys(extra).map((k) => `#x_${k} = :x_${k}`)];
  const out = await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: deletionKey(userId),
      UpdateExpression: `SET ${sets.join(", ")}`,
      ConditionExpression: "attribute_exists(PK)",
      ExpressionAttributeNames: { "#status": "status", ...(step ? { "#step": step.name } : {}), ...Object.fromEntries(Object.keys(extra).map((k) => [`#x_${k}`, k])) },
      ExpressionAttributeValues: {
        ":status": status,
        ":now": now,
        ...(step ? { ":step": step.record } : {}),
        ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`:x_${k}`, v])),
      },
      ReturnValues: "ALL_NEW",
    }),
  );
  return fromDeletionItem(out.Attributes) as DeletionRecord;
}
