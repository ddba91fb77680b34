import { BatchWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { bucketsOf } from "#lib/credit/counters";
import { computeCredit, type CreditResult } from "#lib/credit/model";
import { creditKeys, keys, ttlAfter } from "#lib/data/keys";
import { batchGet, fromUserItem } from "#lib/data/users";
import { logger } from "#lib/logger";

/** One message of the recompute queue: a batch of users, with the change markers the planner saw. */
export interface RecomputeBatch {
  runId?: string;
  /** The instant every score of the run is for: a retried batch computes exactly the same. */
  asOf: string;
  users: { userId: string; events: string[] }[];
}

export interface RecomputeOutcome {
  recomputed: number;
  changed: number;
  skipped: number;
  failedUserIds: string[];
  results: Map<string, CreditResult>;
}

const HISTORY_RETENTION_SECONDS = 2 * 366 * 24 * 3600;
const USER_WRITE_CONCURRENCY = 16;
const READ_CHUNK_USERS = 50; // 2 keys per user, BatchGetItem takes 100

/**
 * Recomputes a batch of users. Reads are batched (counters and users, consistent), the one
 * UpdateItem per user whose score or tier moved is the only unbatched write, and history items
 * and marker deletions go out 25 per BatchWriteItem. Idempotent: history is keyed by asOf, and a
 * marker is deleted only after its user's score is stored; a marker for an event that arrived
 * meanwhile has another key, so it survives for the next run.
 */
export async function recomputeBatch(batch: RecomputeBatch, options: { force?: boolean } = {}): Promise<RecomputeOutcome> {
  const outcome: RecomputeOutcome = { recomputed: 0, changed: 0, skipped: 0, failedUserIds: [], results: new Map() };
  let pendingWrites: Record<string, unknown>[] = [];
  // Lanes flush full BatchWriteItems as they go, so reads, updates and batch writes overlap.
  const flush = async (all: boolean) => {
    while (pendingWrites.length >= (all ? 1 : 25)) {
      const chunk = pendingWrites.slice(0, 25);
      pendingWrites = pendingWrites.slice(25);
      await batchWrite(chunk);
    }
  };

  const chunks: RecomputeBatch["users"][] = [];
  for (let i = 0; i < batch.users.length; i += READ_CHUNK_USERS) chunks.push(batch.users.slice(i, i + READ_CHUNK_USERS));
  const reads = await Promise.all(chunks.map((chunk) => batchGet(chunk.flatMap(({ userId }) => [keys.user(userId), creditKeys.counters(userId)]), true)));
  const work = chunks.flatMap((chunk, c) =>
    chunk.map(({ userId, events }, n) => ({ userId, events, user: fromUserItem(reads[c]?.[2 * n]), counters: reads[c]?.[2 * n + 1] })),
  );

  await forEachLimited(work, USER_WRITE_CONCURRENCY, async ({ userId, events, user, counters }) => {
    const markerDeletes = events.map((eventId) => ({ DeleteRequest: { Key: creditKeys.dirty(userId, eventId) } }));
    if (!user || user.status === "DELETED") {
      outcome.skipped++;
      pendingWrites.push(...markerDeletes);
      return flush(false);
    }
    const result = computeCredit({ identityVerified: user.identityStatus === "APPROVED", buckets: bucketsOf(counters), asOf: batch.asOf });
    const changed = result.score !== user.creditScore || result.tier !== user.creditTier;
    try {
      if (changed || options.force) await storeScore(userId, result, batch.asOf);
    } catch (error) {
      logger.error("credit score not stored", { userId, errorName: (error as Error).name });
      outcome.failedUserIds.push(userId);
      return;
    }
    outcome.recomputed++;
    if (changed) outcome.changed++;
    outcome.results.set(userId, result);
    if (changed || events.length > 0 || options.force) pendingWrites.push({ PutRequest: { Item: historyItem(userId, result, batch.asOf) } });
    pendingWrites.push(...markerDeletes);
    return flush(false);
  });
  await flush(true);
  if (batch.runId) await recordProgress(batch.runId, outcome);
  return outcome;
}

async function storeScore(userId: string, result: CreditResult, asOf: string) {
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.user(userId),
      UpdateExpression: "SET creditScore = :score, creditTier = :tier, creditComputedAt = :at",
      ConditionExpression: "attribute_exists(PK)",
      ExpressionAttributeValues: { ":score": result.score, ":tier": result.tier, ":at": asOf },
    }),
  );
}

function historyItem(userId: string, result: CreditResult, at: string) {
  return {
    ...creditKeys.history(userId, at),
    type: "CREDIT_HISTORY",
    at,
    score: result.score,
    tier: result.tier,
    factors: result.factors,
    reasonCodes: result.reasonCodes,
    ttl: ttlAfter(HISTORY_RETENTION_SECONDS),
  };
}

async function batchWrite(chunk: Record<string, unknown>[]) {
  let pending = chunk;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 8) throw new Error(`${pending.length} credit writes left unprocessed`);
    if (attempt > 1) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    const out = await dynamodb.send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending as never } }));
    pending = (out.UnprocessedItems?.[tableName()] as Record<string, unknown>[] | undefined) ?? [];
  }
}

/** One write per batch: the run's totals grow as workers finish, wherever they run. */
async function recordProgress(runId: string, outcome: RecomputeOutcome) {
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: creditKeys.run(runId),
      UpdateExpression: "SET lastBatchAt = :now ADD batchesDone :one, recomputed :r, changed :c, skipped :s, failed :f",
      ExpressionAttributeValues: {
        ":now": new Date().toISOString(),
        ":one": 1,
        ":r": outcome.recomputed,
        ":c": outcome.changed,
        ":s": outcome.skipped,
        ":f": outcome.failedUserIds.length,
      },
    }),
  );
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
  if (typeof value?.asOf !== "string" || !Array.isArray(value.users)) throw new Error("not a recompute batch");
  return value;
}
