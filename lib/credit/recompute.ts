import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { activeDaysWithin, bucketsOf, completedTransactionsOf } from "#lib/credit/counters";
import { computeCredit, type CreditResult } from "#lib/credit/model";
import { creditView } from "#lib/credit/service";
import { batchGet, batchWrite, type Key } from "#lib/data/batch";
import { creditCountersKey, HISTORY_RETENTION_SECONDS, toCreditHistoryItem } from "#lib/data/credit";
import { creditRecomputeBatchKey, creditRecomputeRunKey, ENTITY, runTtl } from "#lib/data/job-run";
import { ttlAfter } from "#lib/data/keys";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { fromUserItem, getUser, type Level, type LevelPin, userKey } from "#lib/data/user";
import { notFound } from "#lib/errors";
import { type LevelActor, type LevelFacts, readUserItems, storeLevelChange } from "#lib/levels/apply";
import { ACTIVE_DAYS_WINDOW, nextLevel } from "#lib/levels/rules";
import { logger } from "#lib/logger";

/** What the worker needs of a user, taken by the planner from the index it read (saves a read per user). */
export interface UserSnapshot {
  status: string;
  identityStatus: string;
  creditScore: number;
  creditTier: string;
  /** The change marker the planner saw, if any. */
  markedBy?: string;
  /** What the level rules read; a snapshot without a level (planned before levels) skips them. */
  level?: Level;
  levelPin?: LevelPin;
  emailVerified?: boolean;
  phoneVerified?: boolean;
}

export const snapshotOf = (item: Record<string, unknown>): UserSnapshot => ({
  status: String(item.status),
  identityStatus: String(item.identityStatus),
  creditScore: Number(item.creditScore),
  creditTier: String(item.creditTier),
  ...(typeof item.creditDirtyBy === "string" ? { markedBy: item.creditDirtyBy } : {}),
  ...(typeof item.level === "string" ? { level: item.level as Level } : {}),
  ...(item.levelPin && typeof item.levelPin === "object" ? { levelPin: item.levelPin as LevelPin } : {}),
  ...(item.emailVerified === true ? { emailVerified: true } : {}),
  ...(item.phoneVerified === true ? { phoneVerified: true } : {}),
});

/** One message of the recompute queue: a batch of users, with the change markers the planner saw. */
export interface RecomputeBatch {
  runId?: string;
  /** The instant every score of the run is for: a retried batch computes exactly the same. */
  asOf: string;
  /** The planning pass and the batch's number in it: the batch's progress marker. */
  pass?: string;
  batch?: number;
  users: { userId: string; snapshot?: UserSnapshot }[];
}

export interface RecomputeOutcome {
  recomputed: number;
  changed: number;
  levelsChanged: number;
  skipped: number;
  failedUserIds: string[];
  results: Map<string, CreditResult>;
}

const USER_WRITE_CONCURRENCY = 16;

/**
 * Recomputes a batch of users. Reads are batched (counters, and users without a snapshot,
 * consistent). Each user's history item is written first (BatchWriteItem, keyed by the run's
 * asOf), then one UpdateItem stores the score and clears the change marker it saw (only if no
 * event re-marked the user meanwhile). So a batch cut off anywhere, retried, or finished by the
 * run that takes over, leaves every rescored user with exactly one history item of the run: a
 * user whose marker is still set is simply done again, under the same keys. An unchanged,
 * unmarked user is not written at all. The run's totals grow once per batch (its marker).
 * Levels are evaluated with the new tier; a user whose level changes gets the score and the level
 * in one transaction instead (lib/levels/apply.ts), with its audit entry and mail.
 */
export async function recomputeBatch(batch: RecomputeBatch, options: { force?: boolean; lanes?: number; requestId?: string } = {}): Promise<RecomputeOutcome> {
  const outcome: RecomputeOutcome = { recomputed: 0, changed: 0, levelsChanged: 0, skipped: 0, failedUserIds: [], results: new Map() };

  // Counters always (consistent); the user item only where the planner gave no snapshot.
  const keysOf = ({ userId, snapshot }: RecomputeBatch["users"][number]): Key[] => (snapshot ? [creditCountersKey(userId)] : [userKey(userId), creditCountersKey(userId)]);
  const found = new Map<string, Record<string, unknown>>();
  for (const item of await batchGet(batch.users.flatMap(keysOf), { consistent: true })) if (item) found.set(`${item.PK}|${item.SK}`, item);
  const read = (key: Key) => found.get(`${key.PK}|${key.SK}`);

  // `item`: the user item when it was read; `level`: the facts of a level change, when there is one.
  const toStore: { userId: string; result: CreditResult; markedBy?: string; changed: boolean; item?: Record<string, unknown>; level?: LevelFacts }[] = [];
  for (const { userId, snapshot } of batch.users) {
    const item = snapshot ? undefined : read(userKey(userId));
    const current = snapshot ?? (item && fromUserItem(item) ? snapshotOf(item) : undefined);
    if (!current || current.status === "DELETED") {
      outcome.skipped++;
      continue;
    }
    const counters = read(creditCountersKey(userId));
    const result = computeCredit({ identityVerified: current.identityStatus === "APPROVED", buckets: bucketsOf(counters), asOf: batch.asOf });
    const changed = result.score !== current.creditScore || result.tier !== current.creditTier;
    outcome.results.set(userId, result);
    const facts: LevelFacts = {
      completedTransactions: completedTransactionsOf(counters),
      activeDaysInWindow: activeDaysWithin(counters, batch.asOf, ACTIVE_DAYS_WINDOW),
      creditTier: result.tier,
      now: Date.parse(batch.asOf),
    };
    const levelChanges = current.level !== undefined && nextLevel({ ...current, level: current.level, ...facts }).changed;
    if (changed || current.markedBy || options.force || levelChanges) {
      toStore.push({ userId, result, markedBy: current.markedBy, changed, item, ...(levelChanges ? { level: facts } : {}) });
    } else outcome.recomputed++; // nothing to write: the stored score stands
  }
  // Only users whose level changes need their whole item (contact fields for the mail).
  const fullItems = await readUserItems(toStore.filter((s) => s.level && !s.item).map((s) => s.userId));
  const actor: LevelActor = batch.runId ? { actorId: "system:nightly", requestId: batch.runId } : { actorId: "system:recompute", requestId: options.requestId ?? batch.asOf };

  // History first: a crash after this leaves the marker, so the user is done again (same key).
  await batchWrite(toStore.map(({ userId, result }) => ({ PutRequest: { Item: historyItem(userId, result, batch.asOf) } })));
  await forEachLimited(toStore, options.lanes ?? USER_WRITE_CONCURRENCY, async ({ userId, result, markedBy, changed, item, level }) => {
    try {
      const score = { userId, score: result.score, tier: result.tier, asOf: batch.asOf, markedBy };
      const levelChange = level && (await storeLevelChange(item ?? fullItems.get(userId), level, score, actor));
      if (levelChange) outcome.levelsChanged++;
      else await storeScore(userId, result, batch.asOf, markedBy);
    } catch (error) {
      logger.error("credit score not stored", { userId, errorName: (error as Error).name });
      outcome.failedUserIds.push(userId);
      return;
    }
    outcome.recomputed++;
    if (changed) outcome.changed++;
  });
  if (batch.runId) await recordProgress(batch, outcome);
  return outcome;
}

/** Stores the score and, in the same write, clears the marker that was read, unless an event re-marked the user since. */
async function storeScore(userId: string, result: CreditResult, asOf: string, markedBy: string | undefined) {
  const values = { ":score": result.score, ":tier": result.tier, ":at": asOf };
  const set = "SET creditScore = :score, creditTier = :tier, creditComputedAt = :at";
  const update = (clearMarker: boolean) =>
    dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: userKey(userId),
        UpdateExpression: clearMarker ? `${set} REMOVE GSI2PK, GSI2SK, creditDirtyBy` : set,
        ConditionExpression: clearMarker ? "attribute_exists(PK) AND creditDirtyBy = :seen" : "attribute_exists(PK)",
        ExpressionAttributeValues: clearMarker ? { ...values, ":seen": markedBy } : values,
      }),
    );
  if (!markedBy) return void (await update(false));
  try {
    await update(true);
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    await update(false); // re-marked meanwhile: the new marker stays for the next run
  }
}

function historyItem(userId: string, result: CreditResult, at: string) {
  const record = { at, score: result.score, tier: result.tier, factors: result.factors, reasonCodes: result.reasonCodes };
  return toCreditHistoryItem(userId, record, ttlAfter(HISTORY_RETENTION_SECONDS));
}

/**
 * Adds the batch's counts to the run's totals, once: the batch's marker is put in the same
 * transaction only if absent, so a redelivered batch is not counted twice. A batch with failed
 * users records only the failures (it will be retried, or dead-lettered).
 */
async function recordProgress(batch: RecomputeBatch, outcome: RecomputeOutcome) {
  const runKey = creditRecomputeRunKey(batch.runId ?? "");
  const now = new Date().toISOString();
  if (outcome.failedUserIds.length > 0 || batch.pass === undefined || batch.batch === undefined) {
    await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: runKey,
        UpdateExpression: "SET lastBatchAt = :now ADD failedAttempts :f",
        ExpressionAttributeValues: { ":now": now, ":f": outcome.failedUserIds.length },
      }),
    );
    return;
  }
  try {
    await transactWrite({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: { ...creditRecomputeBatchKey(batch.runId ?? "", batch.pass, batch.batch), entity: ENTITY.batch, users: batch.users.length, at: now, ttl: runTtl() },
            ConditionExpression: "attribute_not_exists(PK)",
          },
        },
        {
          Update: {
            TableName: tableName(),
            Key: runKey,
            UpdateExpression: "SET lastBatchAt = :now ADD batchesDone :one, #passDone :one, recomputed :r, changed :c, levelsChanged :l, skipped :s",
            ExpressionAttributeNames: { "#passDone": `done_${batch.pass}` },
            ExpressionAttributeValues: { ":now": now, ":one": 1, ":r": outcome.recomputed, ":c": outcome.changed, ":l": outcome.levelsChanged, ":s": outcome.skipped },
          },
        },
      ],
    });
  } catch (error) {
    if (error instanceof TransactionCancelled && error.failedAt() === 0) return; // counted when it first finished
    throw error;
  }
}

export async function forEachLimited<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  });
  await Promise.all(lanes);
}

/** The recompute queue's message body, checked (the queue is ours, but a bad message must not loop). */
export function parseRecomputeBatch(body: string): RecomputeBatch {
  const value = JSON.parse(body) as RecomputeBatch;
  const valid =
    typeof value?.asOf === "string" &&
    Array.isArray(value.users) &&
    value.users.every((u) => typeof u?.userId === "string" && (u.snapshot === undefined || typeof u.snapshot === "object"));
  if (!valid) throw new Error("not a recompute batch");
  return value;
}

/** POST /admin/users/{userId}/credit/recompute: recompute now (clearing the user's marker, applying the level rules) and answer the view. */
export async function recomputeNow(userId: string, requestId?: string) {
  const outcome = await recomputeBatch({ asOf: new Date().toISOString(), users: [{ userId }] }, { force: true, requestId });
  if (outcome.failedUserIds.length > 0) throw new Error("credit recompute failed");
  const user = await getUser(userId, true);
  if (!user || user.status === "DELETED") throw notFound("No such user.");
  return creditView(user);
}
