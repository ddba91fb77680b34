import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { auditPut } from "#lib/audit/trail";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { batchGet } from "#lib/data/batch";
import { type TransactItem, TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { fromUserItem, type UserRecord, userKey, userLevelIndex } from "#lib/data/user";
import { type LevelDecision, type LevelInputs, nextLevel } from "#lib/levels/rules";
import { preferredChannel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";

// A level change is written with the score it follows from, in ONE transaction: the user item
// (score, tier, level, its GSI3 listing key, the change marker cleared as the score write clears
// it), the audit entry and the user's mail (the outbox). Users whose level does not change are
// written exactly as before (lib/credit/recompute.ts), so the nightly stays one write per user.

/** The score write a level change rides on: what the recompute would store without it. */
export interface ScoreWrite {
  userId: string;
  score: number;
  tier: string;
  asOf: string;
  /** The change marker the planner saw: cleared in the same write if it is still the one set. */
  markedBy?: string;
}

/** The facts of an evaluation that do not come from the user item. */
export type LevelFacts = Pick<LevelInputs, "completedTransactions" | "activeDaysInWindow" | "creditTier" | "now">;

/** Who the audit entry names: `system:nightly` with the run id, or `system:recompute` with the request id. */
export interface LevelActor {
  actorId: string;
  requestId: string;
}

/** A user changed under a level change more than this many times in a row: give up (the batch is retried). */
const MAX_ATTEMPTS = 3;

/**
 * The full user items of the users whose level changes, in one consistent BatchGetItem: the mail
 * needs their contact fields, which the planner's index does not carry. They are few (a level
 * changes rarely), and a fresh item also lets the rules run again on the newest state.
 */
export async function readUserItems(userIds: string[]): Promise<Map<string, Record<string, unknown>>> {
  if (userIds.length === 0) return new Map();
  const items = await batchGet(userIds.map(userKey), { consistent: true });
  return new Map(items.flatMap((item) => (item ? [[String(item.userId), item] as const] : [])));
}

/**
 * Stores the score and the level change together. The rules run again on `item` (fresher than the
 * planner's snapshot), so a redelivered batch, or a staff pin or level set meanwhile, is never
 * overridden: the user update is conditional on the level, the pin and (when it clears it) the
 * marker it saw, and when that fails the rules run again on the item as it is now. Returns the
 * decision written, or undefined when the level no longer changes: the caller stores the score alone.
 */
export async function storeLevelChange(item: Record<string, unknown> | undefined, facts: LevelFacts, score: ScoreWrite, actor: LevelActor): Promise<LevelDecision | undefined> {
  let current = item;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const user = fromUserItem(current);
    if (!user) return undefined;
    const decision = nextLevel({ ...user, ...facts });
    if (!decision.changed) return undefined;
    try {
      await transactWrite({ TransactItems: await levelChangeItems(user, current?.creditDirtyBy, decision, score, actor) });
      return decision;
    } catch (error) {
      if (!(error instanceof TransactionCancelled) || error.failedAt() !== 0) throw error;
      current = error.items[0] ?? (await readUser(score.userId)); // changed meanwhile: decide again on what it is now
    }
  }
  throw new Error("the user kept changing under a level change");
}

async function readUser(userId: string) {
  return (await dynamodb.send(new GetCommand({ TableName: tableName(), Key: userKey(userId), ConsistentRead: true }))).Item;
}

async function levelChangeItems(user: UserRecord, markerNow: unknown, decision: LevelDecision, score: ScoreWrite, actor: LevelActor): Promise<TransactItem[]> {
  const now = new Date().toISOString();
  const from = user.level;
  const to = decision.level;
  const reason = decision.reason ?? "";
  const listing = userLevelIndex(user.userId, to, user.createdAt);
  // Same semantics as the score write: the marker goes only if no event re-marked the user since.
  const clearMarker = score.markedBy !== undefined && markerNow === score.markedBy;
  const names: Record<string, string> = { "#level": "level" };
  const values: Record<string, unknown> = {
    ...{ ":score": score.score, ":tier": score.tier, ":at": score.asOf, ":to": to, ":from": from, ":now": now },
    ...{ ":gsi3pk": listing.GSI3PK, ":gsi3sk": listing.GSI3SK },
  };
  const conditions = ["attribute_exists(PK)", "#level = :from"];
  if (user.levelPin) {
    // The (expired) pin that was seen: a pin set since fails the condition and is respected.
    names["#pinAt"] = "at";
    values[":pinAt"] = user.levelPin.at;
    conditions.push("levelPin.#pinAt = :pinAt");
  } else conditions.push("attribute_not_exists(levelPin)");
  if (clearMarker) {
    values[":seen"] = score.markedBy;
    conditions.push("creditDirtyBy = :seen");
  }
  const removes = [...(clearMarker ? ["GSI2PK", "GSI2SK", "creditDirtyBy"] : []), ...(decision.stalePin ? ["levelPin"] : [])];
  const set =
    "SET creditScore = :score, creditTier = :tier, creditComputedAt = :at, #level = :to, levelChangedAt = :now, updatedAt = :now, " +
    // The SK stays; if_not_exists only fills it in for accounts from before the level listing.
    "GSI3PK = :gsi3pk, GSI3SK = if_not_exists(GSI3SK, :gsi3sk)";
  const userUpdate: TransactItem = {
    Update: {
      TableName: tableName(),
      Key: userKey(user.userId),
      UpdateExpression: removes.length ? `${set} REMOVE ${removes.join(", ")}` : set,
      ConditionExpression: conditions.join(" AND "),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    },
  };
  const audit = auditPut({ actorId: actor.actorId, action: "LEVEL_CHANGED", targetUserId: user.userId, requestId: actor.requestId, reason, details: { from, to, rule: decision.rule ?? "" } });
  // A user with no contact details (none today: promotion needs a verified one) is not mailed.
  const mail = user.emailEnc || user.phoneEnc ? [await queueMessage(user, preferredChannel(user), "LEVEL_CHANGED", { from, to, reason })] : [];
  return [userUpdate, audit, ...mail];
}
