import { tableName } from "#lib/clients/dynamodb";
import { shardOf, userPk } from "#lib/data/keys";
import type { TransactItem } from "#lib/data/transactions";

// The lifecycle-due marker: one item per user, `USER#<id> / LIFECYCLE_DUE`, carrying the sparse
// GSI2 entry `LIFECYCLE_DUE#<shard 0–15>` / `<dueAt>#<userId>` while the user needs evaluating at
// or after dueAt. Its own item because the user item's GSI2 entry is the credit change marker.
// Activity (a sign-in, a behaviour event) and verification set it to "now"; the nightly step
// `lifecycle` sets it to the moment the stage can next change, or removes it (CHURNED: only new
// activity can change that). The stage itself is stored on the user item (`lifecycle`).

export const ENTITY = "LIFECYCLE_DUE";
export const LIFECYCLE_SHARDS = 16;

export const lifecycleDueKey = (userId: string) => ({ PK: userPk(userId), SK: "LIFECYCLE_DUE" });
export const lifecycleDuePk = (shard: number) => `LIFECYCLE_DUE#${shard}`;
export const lifecycleDueIndex = (userId: string, dueAt: string) => ({
  GSI2PK: lifecycleDuePk(shardOf(userId, LIFECYCLE_SHARDS)),
  GSI2SK: `${dueAt}#${userId}`,
});
/** The user id of an index entry's sort key. */
export const userOfDueEntry = (sk: string) => sk.slice(sk.lastIndexOf("#") + 1);

/** An upsert marking the user due at `at` (a transaction item for the write that records the activity). */
export function markLifecycleDue(userId: string, at: string): TransactItem & { Update: object } {
  const index = lifecycleDueIndex(userId, at);
  return {
    Update: {
      TableName: tableName(),
      Key: lifecycleDueKey(userId),
      UpdateExpression: "SET entity = :entity, userId = :userId, GSI2PK = :pk, GSI2SK = :sk, dueAt = :at",
      ExpressionAttributeValues: { ":entity": ENTITY, ":userId": userId, ":pk": index.GSI2PK, ":sk": index.GSI2SK, ":at": at },
    },
  };
}

/** The marker after an evaluation: due again at `next`, or out of the index (the item stays, without the entry). */
export function rescheduleLifecycle(userId: string, next: string | undefined, seenSk: string): TransactItem & { Update: object } {
  const base = { TableName: tableName(), Key: lifecycleDueKey(userId), ConditionExpression: "GSI2SK = :seen" };
  if (!next) {
    return { Update: { ...base, UpdateExpression: "REMOVE GSI2PK, GSI2SK, dueAt", ExpressionAttributeValues: { ":seen": seenSk } } };
  }
  const index = lifecycleDueIndex(userId, next);
  return {
    Update: {
      ...base,
      UpdateExpression: "SET GSI2PK = :pk, GSI2SK = :sk, dueAt = :at",
      ExpressionAttributeValues: { ":seen": seenSk, ":pk": index.GSI2PK, ":sk": index.GSI2SK, ":at": next },
    },
  };
}
