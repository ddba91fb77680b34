import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import type { Key } from "#lib/data/batch";
import { ttlAfter } from "#lib/data/keys";
import { type CounterRecord, ENTITY } from "#lib/data/throttle";
import { reportGivenBack, reportQuota } from "#lib/limits/usage";

// Attempt counters in fixed windows, claimed BEFORE the work they limit: a conditional update that
// refuses at the limit, so N parallel attempts get at most `max` through whatever their timing
// (counting after the expensive check let a burst of 30 parallel logins evaluate 12). A failed
// attempt keeps its claim, and the one that fills the window sets a lock that outlives it; a
// successful one gives its claim back. Nothing here ever lifts a lock that is set.

export interface Limit {
  max: number;
  windowSeconds: number;
  /** Locks the key this long from the failure that filled the window (none: the window's end is the wait). */
  lockSeconds?: number;
  /** The rate-limit policy the caller is told about (RateLimit headers); none: the limit is not reported. */
  policy?: string;
}

export interface Claim {
  key: Key;
  limit: Limit;
  windowStart: number;
  /** Attempts of the window so far, this one included (failed or still in flight). */
  count: number;
}

/** The limit is reached: `retryAfterSeconds` until a claim can succeed. */
export class LimitReached extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`limit reached; retry after ${retryAfterSeconds} s`);
    this.name = "LimitReached";
  }
}

/** Tells the request's caller what a named limit has left (lib/limits/usage.ts). */
function report(limit: Limit, remaining: number, resetSeconds: number): void {
  if (!limit.policy) return;
  reportQuota({ policy: limit.policy, quota: limit.max, windowSeconds: limit.windowSeconds, remaining: Math.max(0, remaining), resetSeconds: Math.max(1, Math.ceil(resetSeconds)) });
}

/** The limit is reached: reported with nothing left, then thrown. */
function reached(limit: Limit, retryAfterSeconds: number): LimitReached {
  report(limit, 0, retryAfterSeconds);
  return new LimitReached(retryAfterSeconds);
}

const notLocked = "(attribute_not_exists(lockedUntil) OR lockedUntil <= :now)";

async function update(key: Key, expression: string, condition: string, values: Record<string, unknown>): Promise<CounterRecord> {
  const out = await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: expression,
      ConditionExpression: condition,
      ExpressionAttributeNames: { "#ttl": "ttl" },
      ExpressionAttributeValues: values,
      ReturnValues: "ALL_NEW",
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    }),
  );
  return out.Attributes as CounterRecord;
}

const oldItem = (error: ConditionalCheckFailedException) => (error.Item ? (unmarshall(error.Item) as CounterRecord) : undefined);

/** Takes one attempt of the key's current window, or throws LimitReached (locked, or the window is full). */
export async function claim(key: Key, limit: Limit, now = Date.now()): Promise<Claim> {
  const windowMs = limit.windowSeconds * 1000;
  const cutoff = now - windowMs;
  const ttl = ttlAfter(limit.windowSeconds + (limit.lockSeconds ?? 0) + 60, now);
  for (let round = 0; round < 5; round++) {
    try {
      // A new key starts its window with this same update, so only an expired window costs a second call.
      const item = await update(
        key,
        "SET entity = :entity, #ttl = :ttl, windowStart = if_not_exists(windowStart, :now) ADD attempts :one",
        `(attribute_not_exists(windowStart) OR (windowStart > :cutoff AND attempts < :max)) AND ${notLocked}`,
        { ":entity": ENTITY, ":ttl": ttl, ":one": 1, ":cutoff": cutoff, ":max": limit.max, ":now": now },
      );
      report(limit, limit.max - item.attempts, (item.windowStart + windowMs - now) / 1000);
      return { key, limit, windowStart: item.windowStart, count: item.attempts };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const old = oldItem(error);
      if (old?.lockedUntil && old.lockedUntil > now) throw reached(limit, Math.ceil((old.lockedUntil - now) / 1000));
      if (old && old.windowStart > cutoff) throw reached(limit, Math.ceil((old.windowStart + windowMs - now) / 1000));
    }
    // Its window is over: start a new one (a concurrent request may win; then claim again).
    try {
      await update(
        key,
        "SET entity = :entity, #ttl = :ttl, attempts = :one, windowStart = :now",
        `(attribute_not_exists(windowStart) OR windowStart <= :cutoff) AND ${notLocked}`,
        { ":entity": ENTITY, ":ttl": ttl, ":one": 1, ":now": now, ":cutoff": cutoff },
      );
      report(limit, limit.max - 1, limit.windowSeconds);
      return { key, limit, windowStart: now, count: 1 };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  throw reached(limit, 1); // contended beyond reason: let the client come back
}

/** The attempt failed: its claim stays; if the window is now full, the key is locked for lockSeconds. */
export async function failed(c: Claim, now = Date.now()): Promise<void> {
  if (!c.limit.lockSeconds || c.count < c.limit.max) return;
  try {
    report(c.limit, 0, c.limit.lockSeconds);
    await update(c.key, "SET lockedUntil = :until, #ttl = :ttl", "windowStart = :ws AND attempts >= :max", {
      ":until": now + c.limit.lockSeconds * 1000,
      ":ttl": ttlAfter(Math.max(c.limit.lockSeconds, c.limit.windowSeconds) + 60, now), // outlives both the lock and the window
      ":ws": c.windowStart,
      ":max": c.limit.max,
    });
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error; // a success gave its claim back meanwhile
  }
}

/** The attempt succeeded (or was never evaluated): its claim is given back. A lock stays as it is. */
export async function refund(c: Claim): Promise<void> {
  if (c.limit.policy) reportGivenBack(c.limit.policy);
  try {
    await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: c.key,
        UpdateExpression: "ADD attempts :minus",
        ConditionExpression: "windowStart = :ws AND attempts > :zero",
        ExpressionAttributeValues: { ":minus": -1, ":ws": c.windowStart, ":zero": 0 },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error; // the window is over: nothing to give back
  }
}
