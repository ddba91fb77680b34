import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { CREDIT_HISTORY_PREFIX } from "#lib/data/credit";
import { userPk } from "#lib/data/keys";
import { LIFECYCLE_SHARDS, lifecycleDuePk, rescheduleLifecycle, userOfDueEntry } from "#lib/data/lifecycle";
import { queryAll, queryAllShards } from "#lib/data/query";
import { userKey } from "#lib/data/user";

// What the nightly step `lifecycle` reads and writes (lib/lifecycle/evaluate.ts); the markers that
// request paths write are in lib/data/lifecycle.ts, so their bundles stay small.

/** The index entries due by asOf: 16 Queries (`GSI2SK <= asOf`), never a scan. */
export async function dueLifecycleEntries(asOf: string): Promise<{ userId: string; sk: string }[]> {
  const items = await queryAllShards(LIFECYCLE_SHARDS, (shard) => ({
    TableName: tableName(),
    IndexName: "GSI2",
    KeyConditionExpression: "GSI2PK = :pk AND GSI2SK <= :due",
    ExpressionAttributeValues: { ":pk": lifecycleDuePk(shard), ":due": `${asOf}#~` },
    ProjectionExpression: "GSI2SK",
  }));
  return items.map((item) => ({ userId: userOfDueEntry(String(item.GSI2SK)), sk: String(item.GSI2SK) }));
}

/** The instants of the complaints filed by or against the user (their link items' sort keys), and the score history since `since`. */
export async function signalItems(userId: string, since: string): Promise<{ complaintsAt: string[]; scores: { at: string; score: number; tier: string }[] }> {
  const [links, history] = await Promise.all([
    queryAll({
      TableName: tableName(),
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": userPk(userId), ":prefix": "COMPLAINT#" },
      ProjectionExpression: "SK",
    }),
    queryAll({
      TableName: tableName(),
      KeyConditionExpression: "PK = :pk AND SK BETWEEN :from AND :to",
      ExpressionAttributeValues: { ":pk": userPk(userId), ":from": `${CREDIT_HISTORY_PREFIX}${since}`, ":to": `${CREDIT_HISTORY_PREFIX}~` },
      ProjectionExpression: "#at, score, tier",
      ExpressionAttributeNames: { "#at": "at" },
    }),
  ]);
  // Link sort keys: COMPLAINT#FILED#<createdAt>#<id> / COMPLAINT#AGAINST#<createdAt>#<id>.
  const complaintsAt = links.map((l) => String(l.SK).split("#")[2] ?? "").filter((at) => at >= since);
  return { complaintsAt, scores: history.map((h) => ({ at: String(h.at), score: Number(h.score), tier: String(h.tier) })) };
}

/** Stores the evaluation on the user item (not `updatedAt`: staff changes use it as their version), only for a verified, not deleted account. */
export async function storeLifecycle(userId: string, lifecycle: Record<string, unknown>): Promise<boolean> {
  try {
    await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: userKey(userId),
        UpdateExpression: "SET lifecycle = :l",
        ConditionExpression: "#status IN (:active, :suspended)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":l": lifecycle, ":active": "ACTIVE", ":suspended": "SUSPENDED" },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Moves (or removes) the user's index entry, unless activity re-marked the user since it was read. */
export async function reschedule(userId: string, next: string | undefined, seenSk: string): Promise<void> {
  try {
    await dynamodb.send(new UpdateCommand(rescheduleLifecycle(userId, next, seenSk).Update as ConstructorParameters<typeof UpdateCommand>[0]));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error; // re-marked: the next run evaluates it again
  }
}
