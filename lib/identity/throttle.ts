import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { config } from "#lib/config";
import { lookupHash } from "#lib/crypto/fields";
import { batchGet, type Key } from "#lib/data/batch";
import { ttlAfter } from "#lib/data/keys";
import { ENTITY, fromCounterItem, throttleKey } from "#lib/data/throttle";
import { tooManyRequests } from "#lib/errors";

// Brute-force protection: failed logins are counted per account and per client IP in fixed
// windows; reaching the limit locks that key for LOGIN_LOCK_SECONDS. While locked, even the right
// password is refused. A successful login clears the account's counter (not the IP's, or one
// valid account would let an attacker reset the IP limit).

export interface ThrottleKeys {
  account: Key;
  ip: Key;
}

export async function throttleKeys(accountId: string, ip: string): Promise<ThrottleKeys> {
  return { account: throttleKey("ACCOUNT", accountId), ip: throttleKey("IP", await lookupHash("IP", ip)) };
}

/**
 * Throws 429 LOCKED_OUT if the account or the IP is locked. One round trip, which also fetches the
 * extra items the caller needs next.
 */
export async function assertNotLocked(throttle: ThrottleKeys, extra: Key[] = []) {
  const [account, ip, ...items] = await batchGet([throttle.account, throttle.ip, ...extra]);
  const now = Date.now();
  const until = Math.max(fromCounterItem(account)?.lockedUntil ?? 0, fromCounterItem(ip)?.lockedUntil ?? 0);
  if (until > now) {
    throw tooManyRequests("LOCKED_OUT", "Too many failed sign-ins; try again later.", (until - now) / 1000);
  }
  return { items, accountHasFailures: account !== undefined };
}

/** Counts a failure on both keys; returns true if either is now locked. */
export async function recordFailure(throttle: ThrottleKeys): Promise<boolean> {
  const { maxFailuresPerAccount, maxFailuresPerIp } = config().loginThrottle;
  const [a, b] = await Promise.all([count(throttle.account, maxFailuresPerAccount), count(throttle.ip, maxFailuresPerIp)]);
  return a || b;
}

/** Clears an account's failure counter (and lock); the IP's stays. */
export async function clearAccount(accountId: string): Promise<void> {
  await dynamodb.send(new DeleteCommand({ TableName: tableName(), Key: throttleKey("ACCOUNT", accountId) }));
}

async function count(key: Key, max: number): Promise<boolean> {
  const { windowSeconds, lockSeconds } = config().loginThrottle;
  const now = Date.now();
  let failures: number;
  try {
    // Common case: add to the current window.
    const out = await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: "ADD failures :one",
        ConditionExpression: "windowStart > :cutoff",
        ExpressionAttributeValues: { ":one": 1, ":cutoff": now - windowSeconds * 1000 },
        ReturnValues: "ALL_NEW",
      }),
    );
    failures = Number(out.Attributes?.failures ?? 1);
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // No counter yet or its window is over: start a new window (a concurrent starter may win; then just add).
    try {
      await dynamodb.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: key,
          UpdateExpression: "SET entity = :entity, failures = :one, windowStart = :now, #ttl = :ttl REMOVE lockedUntil",
          ConditionExpression: "attribute_not_exists(windowStart) OR windowStart <= :cutoff",
          ExpressionAttributeNames: { "#ttl": "ttl" },
          ExpressionAttributeValues: {
            ":entity": ENTITY,
            ":one": 1,
            ":now": now,
            ":cutoff": now - windowSeconds * 1000,
            ":ttl": ttlAfter(windowSeconds + lockSeconds),
          },
        }),
      );
      failures = 1;
    } catch (inner) {
      if (!(inner instanceof ConditionalCheckFailedException)) throw inner;
      return count(key, max);
    }
  }
  if (failures < max) return false;
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: "SET lockedUntil = :until, #ttl = :ttl",
      ExpressionAttributeNames: { "#ttl": "ttl" },
      ExpressionAttributeValues: { ":until": now + lockSeconds * 1000, ":ttl": ttlAfter(lockSeconds + 60) },
    }),
  );
  return true;
}
