import { createHmac } from "node:crypto";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resetConfigForTests } from "#lib/config";
import type { AppError } from "#lib/errors";
import { type Claim, claim, failed, type Limit, LimitReached, refund } from "#lib/limits/counter";
import { limitPerIp } from "#lib/limits/per-ip";
import { claimPasswordAttempt, passwordAttemptFailed, passwordAttemptSettled } from "#lib/limits/sign-in";
import { conditionFailed, freezeClock, NOW } from "#test/unit/support/aws";
import { fakeTable } from "#test/unit/support/table";

// Attempt counters claimed before the work they limit (lib/limits): the counter itself, the
// sign-in limits per account and IP, and the per-IP limits of the routes a stranger can call.
const ddb = mockClient(DynamoDBDocumentClient);

const key = { PK: "THROTTLE#ACCOUNT#u1", SK: "THROTTLE" };
const limit: Limit = { max: 5, windowSeconds: 900, lockSeconds: 900 };
const WINDOW_MS = 900_000;
const NOT_LOCKED = "(attribute_not_exists(lockedUntil) OR lockedUntil <= :now)";
const CLAIM = "SET entity = :entity, #ttl = :ttl, windowStart = if_not_exists(windowStart, :now) ADD attempts :one";
const CLAIM_CONDITION = `(attribute_not_exists(windowStart) OR (windowStart > :cutoff AND attempts < :max)) AND ${NOT_LOCKED}`;
const START = "SET entity = :entity, #ttl = :ttl, attempts = :one, windowStart = :now";

/** The keyed hash the modules must key an IP by: HMAC-SHA256 under the data key, computed here independently. */
const ipHash = (ip: string) => {
  const { hmac } = JSON.parse(process.env.LOCAL_KEYS ?? "{}") as { hmac: string };
  return createHmac("sha256", Buffer.from(hmac, "base64")).update(`IP\u0000${ip}`).digest("base64url");
};
const ipKey = (ip: string) => ({ PK: `THROTTLE#IP#${ipHash(ip)}`, SK: "THROTTLE" });
const routeKey = (route: string, ip: string) => ({ PK: `LIMIT#${route}#${ipHash(ip)}`, SK: "LIMIT" });

/** What DynamoDB answers when the claim's condition fails: the old counter, marshalled (ALL_OLD). */
const refusedWith = (old: Record<string, unknown>) => conditionFailed(marshall({ ...key, entity: "THROTTLE", ...old }));
const updates = () => ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
const updatesOf = (k: { PK: string }) => updates().filter((u) => (u.Key as { PK: string }).PK === k.PK);
const refusal = async <T = AppError>(promise: Promise<unknown>) => (await promise.then(() => expect.unreachable("not refused"), (e: unknown) => e)) as T;
const claimOf = (count: number, overrides: Partial<Claim> = {}): Claim => ({ key, limit, windowStart: NOW - 5000, count, ...overrides });

beforeEach(() => {
  ddb.reset();
  freezeClock();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  resetConfigForTests();
});

describe("claim", () => {
  it("takes one attempt of the current window (or starts the window) with a single conditional ADD that refuses at the limit and while locked", async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({ Attributes: { ...key, entity: "THROTTLE", attempts: 3, windowStart: NOW - 1000 } });

    // Act
    const granted = await claim(key, limit);

    // Assess
    expect(granted).toEqual({ key, limit, windowStart: NOW - 1000, count: 3 });
    expect(updates()).toEqual([
      {
        TableName: "unit-table",
        Key: key,
        UpdateExpression: CLAIM,
        ConditionExpression: CLAIM_CONDITION,
        ExpressionAttributeNames: { "#ttl": "ttl" },
        ExpressionAttributeValues: { ":entity": "THROTTLE", ":ttl": Math.floor(NOW / 1000) + 900 + 900 + 60, ":one": 1, ":cutoff": NOW - WINDOW_MS, ":max": 5, ":now": NOW },
        ReturnValues: "ALL_NEW",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    ]);
  });

  it("claims the first attempt of a new key with exactly one UpdateItem, which starts its window", async () => {
    // Prepare: a table that applies the module's own expressions, with no counter for the key.
    const table = fakeTable(ddb);

    // Act
    const granted = await claim(key, limit);

    // Assess
    expect(granted).toEqual({ key, limit, windowStart: NOW, count: 1 });
    expect(updates().map((u) => u.UpdateExpression)).toEqual([CLAIM]);
    expect(table.get(key)).toEqual({ ...key, entity: "THROTTLE", ttl: Math.floor(NOW / 1000) + 1860, attempts: 1, windowStart: NOW });
  });

  it("starts a new window with a condition of its own when the old one is over", async () => {
    // Prepare: the claim is refused with the old counter, whose window is over; the start lands.
    ddb.on(UpdateCommand).resolves({});
    ddb.on(UpdateCommand, { UpdateExpression: CLAIM }).rejects(refusedWith({ attempts: 2, windowStart: NOW - WINDOW_MS - 1 }));

    // Act
    const granted = await claim(key, limit);

    // Assess
    expect(granted).toEqual({ key, limit, windowStart: NOW, count: 1 });
    expect(updates()).toHaveLength(2);
    expect(updates()[1]).toEqual({
      TableName: "unit-table",
      Key: key,
      UpdateExpression: START,
      ConditionExpression: `(attribute_not_exists(windowStart) OR windowStart <= :cutoff) AND ${NOT_LOCKED}`,
      ExpressionAttributeNames: { "#ttl": "ttl" },
      ExpressionAttributeValues: { ":entity": "THROTTLE", ":ttl": Math.floor(NOW / 1000) + 1860, ":one": 1, ":now": NOW, ":cutoff": NOW - WINDOW_MS },
      ReturnValues: "ALL_NEW",
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    });
  });

  it("starts a new window when the old one is over, though it was full", async () => {
    // Prepare: the window began exactly one window ago, so it is over.
    ddb.on(UpdateCommand).resolves({});
    ddb.on(UpdateCommand, { UpdateExpression: CLAIM }).rejects(refusedWith({ attempts: 5, windowStart: NOW - WINDOW_MS }));

    // Act
    const granted = await claim(key, limit);

    // Assess
    expect(granted).toMatchObject({ windowStart: NOW, count: 1 });
    expect(updates().map((u) => u.UpdateExpression)).toEqual([CLAIM, START]);
  });

  it("claims again in the window a concurrent request started first, instead of starting another", async () => {
    // Prepare: the window is over; the start loses to a concurrent one; the second claim lands in its window.
    ddb.on(UpdateCommand, { UpdateExpression: START }).rejects(conditionFailed(marshall({ ...key, attempts: 1, windowStart: NOW - 3 })));
    ddb
      .on(UpdateCommand, { UpdateExpression: CLAIM })
      .rejectsOnce(refusedWith({ attempts: 5, windowStart: NOW - 2 * WINDOW_MS }))
      .resolves({ Attributes: { attempts: 2, windowStart: NOW - 3 } });

    // Act
    const granted = await claim(key, limit);

    // Assess
    expect(granted).toEqual({ key, limit, windowStart: NOW - 3, count: 2 });
    expect(updates().map((u) => u.UpdateExpression)).toEqual([CLAIM, START, CLAIM]);
  });

  it("refuses with LimitReached until the window's end when the window is full, without starting a new one", async () => {
    // Prepare: the window began 60.5 s ago: it ends in 839.5 s.
    ddb.on(UpdateCommand).rejects(refusedWith({ attempts: 5, windowStart: NOW - 60_500 }));

    // Act
    const error = await refusal<LimitReached>(claim(key, limit));

    // Assess
    expect(error).toBeInstanceOf(LimitReached);
    expect(error.retryAfterSeconds).toBe(840);
    expect(updates()).toHaveLength(1);
  });

  it("refuses with LimitReached until the lock's end while the key is locked, even once its window is over", async () => {
    // Prepare
    ddb.on(UpdateCommand).rejects(refusedWith({ attempts: 5, windowStart: NOW - 2 * WINDOW_MS, lockedUntil: NOW + 89_400 }));

    // Act
    const error = await refusal<LimitReached>(claim(key, limit));

    // Assess
    expect(error).toBeInstanceOf(LimitReached);
    expect(error.retryAfterSeconds).toBe(90);
    expect(updates()).toHaveLength(1);
  });

  it("takes a lock that ended for no lock, and starts a new window", async () => {
    ddb.on(UpdateCommand).resolves({});
    ddb.on(UpdateCommand, { UpdateExpression: CLAIM }).rejects(refusedWith({ attempts: 5, windowStart: NOW - 2 * WINDOW_MS, lockedUntil: NOW }));
    await expect(claim(key, limit)).resolves.toMatchObject({ windowStart: NOW, count: 1 });
  });

  it("sets a ttl of the window and a minute on a counter whose limit has no lock", async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 1, windowStart: NOW } });
    await claim(key, { max: 3, windowSeconds: 60 });
    expect(updates()[0]?.ExpressionAttributeValues).toMatchObject({ ":ttl": Math.floor(NOW / 1000) + 120, ":cutoff": NOW - 60_000, ":max": 3 });
  });

  it("gives up with LimitReached after five contended rounds, and asks the client back in a second", async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    const error = await refusal<LimitReached>(claim(key, limit));
    expect(error).toBeInstanceOf(LimitReached);
    expect(error.retryAfterSeconds).toBe(1);
    expect(updates().map((u) => u.UpdateExpression)).toEqual(Array.from({ length: 5 }, () => [CLAIM, START]).flat());
  });

  it("passes errors of the claim other than a failed condition through", async () => {
    ddb.on(UpdateCommand).rejects(Object.assign(new Error("throughput exceeded"), { name: "ProvisionedThroughputExceededException" }));
    await expect(claim(key, limit)).rejects.toThrow("throughput exceeded");
    expect(updates()).toHaveLength(1);
  });

  it("passes errors of the window start other than a failed condition through", async () => {
    ddb.on(UpdateCommand).rejects(new Error("network down"));
    ddb.on(UpdateCommand, { UpdateExpression: CLAIM }).rejects(conditionFailed());
    await expect(claim(key, limit)).rejects.toThrow("network down");
    expect(updates().map((u) => u.UpdateExpression)).toEqual([CLAIM, START]);
  });
});

describe("failed", () => {
  it("locks the key for lockSeconds when the failed attempt filled the window, on condition that it is still that full window", async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({});

    // Act
    await failed(claimOf(5));

    // Assess
    expect(updates()).toEqual([
      {
        TableName: "unit-table",
        Key: key,
        UpdateExpression: "SET lockedUntil = :until, #ttl = :ttl",
        ConditionExpression: "windowStart = :ws AND attempts >= :max",
        ExpressionAttributeNames: { "#ttl": "ttl" },
        ExpressionAttributeValues: { ":until": NOW + 900_000, ":ttl": Math.floor(NOW / 1000) + 960, ":ws": NOW - 5000, ":max": 5 },
        ReturnValues: "ALL_NEW",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    ]);
  });

  it("keeps the claim and writes nothing while the window is not full", async () => {
    await failed(claimOf(4));
    expect(ddb.calls()).toHaveLength(0);
  });

  it("never locks a limit without a lock, however full", async () => {
    await failed(claimOf(9, { limit: { max: 5, windowSeconds: 600 } }));
    expect(ddb.calls()).toHaveLength(0);
  });

  it("leaves the key unlocked when a success gave its claim back meanwhile (the condition fails)", async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    await expect(failed(claimOf(5))).resolves.toBeUndefined();
  });

  it("passes other errors of the lock through", async () => {
    ddb.on(UpdateCommand).rejects(new Error("table gone"));
    await expect(failed(claimOf(5))).rejects.toThrow("table gone");
  });
});

describe("refund", () => {
  it("gives one attempt back to the claim's own window and never touches a lock", async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({});

    // Act
    await refund(claimOf(3));

    // Assess
    expect(updates()).toEqual([
      {
        TableName: "unit-table",
        Key: key,
        UpdateExpression: "ADD attempts :minus",
        ConditionExpression: "windowStart = :ws AND attempts > :zero",
        ExpressionAttributeValues: { ":minus": -1, ":ws": NOW - 5000, ":zero": 0 },
      },
    ]);
  });

  it("gives nothing back once the claim's window is over (the condition fails)", async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    await expect(refund(claimOf(3))).resolves.toBeUndefined();
  });

  it("passes other errors through", async () => {
    ddb.on(UpdateCommand).rejects(new Error("table gone"));
    await expect(refund(claimOf(3))).rejects.toThrow("table gone");
  });
});

describe("counters played out against a table that applies the module's conditions", () => {
  const burst = (n: number) => Promise.allSettled(Array.from({ length: n }, () => claim(key, limit)));
  const outcome = (results: PromiseSettledResult<Claim>[]) => ({
    granted: results.flatMap((r) => (r.status === "fulfilled" ? [r.value.count] : [])).sort((a, b) => a - b),
    refused: results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : [])),
  });

  it("grants exactly 5 of 20 concurrent claims with a limit of 5, and refuses the other 15 until the window's end", async () => {
    // Prepare
    const table = fakeTable(ddb);

    // Act
    const { granted, refused } = outcome(await burst(20));

    // Assess
    expect(granted).toEqual([1, 2, 3, 4, 5]);
    expect(refused).toHaveLength(15);
    for (const error of refused) expect(error).toEqual(new LimitReached(900));
    expect(table.get(key)).toMatchObject({ attempts: 5, windowStart: NOW });
  });

  it("grants exactly the limit of a burst in whatever order DynamoDB applies the updates (fast-check scheduler)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 25 }), async (s, max, n) => {
        // Prepare
        ddb.reset();
        const table = fakeTable(ddb, { beforeEach: () => s.schedule(Promise.resolve()) });

        // Act
        const results = await s.waitFor(Promise.allSettled(Array.from({ length: n }, () => claim(key, { ...limit, max }))));

        // Assess
        const { granted, refused } = outcome(results);
        expect(granted).toEqual(Array.from({ length: Math.min(n, max) }, (_, i) => i + 1));
        expect(refused).toHaveLength(Math.max(0, n - max));
        for (const error of refused) expect(error).toBeInstanceOf(LimitReached);
        expect(table.get(key)?.attempts ?? 0).toBe(Math.min(n, max));
      }),
      { numRuns: 60 },
    );
  });

  it("locks at the failure that fills the window, and refuses even the next window until the lock ends", async () => {
    // Prepare
    const table = fakeTable(ddb);

    // Act: five failures a second apart.
    for (let i = 0; i < 5; i++) {
      vi.setSystemTime(NOW + i * 1000);
      await failed(await claim(key, limit));
    }

    // Assess
    const lockEnd = NOW + 4000 + 900_000;
    expect(table.get(key)).toMatchObject({ attempts: 5, windowStart: NOW, lockedUntil: lockEnd });
    await expect(claim(key, limit)).rejects.toEqual(new LimitReached(900));
    vi.setSystemTime(NOW + WINDOW_MS + 1); // the window is over, the lock is not
    await expect(claim(key, limit)).rejects.toEqual(new LimitReached(4));
    vi.setSystemTime(lockEnd - 1);
    await expect(claim(key, limit)).rejects.toEqual(new LimitReached(1));
    vi.setSystemTime(lockEnd);
    await expect(claim(key, limit)).resolves.toMatchObject({ windowStart: lockEnd, count: 1 });
  });

  it("does not lock on failures below the limit, and a success's refund keeps the owner below it", async () => {
    // Prepare
    const table = fakeTable(ddb);
    for (let i = 0; i < 4; i++) await failed(await claim(key, limit));

    // Act: a success gives its claim back; then another failure.
    await refund(await claim(key, limit));
    const fifth = await claim(key, limit);
    await failed(fifth);

    // Assess
    expect(fifth.count).toBe(5);
    expect(table.get(key)).toMatchObject({ attempts: 5, lockedUntil: NOW + 900_000 });
  });

  it("never lifts a lock on a refund", async () => {
    // Prepare: a full, locked window; a claim of it that was in flight when the lock was set.
    const table = fakeTable(ddb);
    table.put({ ...key, entity: "THROTTLE", attempts: 5, windowStart: NOW - 1000, lockedUntil: NOW + 60_000 });

    // Act
    await refund(claimOf(5, { windowStart: NOW - 1000 }));

    // Assess
    expect(table.get(key)).toMatchObject({ attempts: 4, lockedUntil: NOW + 60_000 });
    await expect(claim(key, limit)).rejects.toEqual(new LimitReached(60));
  });

  it("starts counting afresh once the window is over", async () => {
    const table = fakeTable(ddb);
    for (let i = 0; i < 3; i++) await failed(await claim(key, limit));
    vi.setSystemTime(NOW + WINDOW_MS + 1);
    await expect(claim(key, limit)).resolves.toMatchObject({ windowStart: NOW + WINDOW_MS + 1, count: 1 });
    expect(table.get(key)).toMatchObject({ attempts: 1 });
  });
});

describe("claimPasswordAttempt", () => {
  const account = { PK: "THROTTLE#ACCOUNT#u1", SK: "THROTTLE" };
  const ip = ipKey("203.0.113.7");

  it("claims one attempt for the account and one for the IP, keyed by a hash of the IP, with the sign-in limits", async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 2, windowStart: NOW - 10 } });

    // Act
    const claims = await claimPasswordAttempt("u1", "203.0.113.7");

    // Assess
    const windowAndLock = { windowSeconds: 900, lockSeconds: 900 };
    expect(claims).toEqual({
      account: { key: account, limit: { max: 5, ...windowAndLock }, windowStart: NOW - 10, count: 2 },
      // Only the IP's limit is reported to the caller (RateLimit headers), never an account's count.
      ip: { key: ip, limit: { max: 50, ...windowAndLock, policy: "sign-in" }, windowStart: NOW - 10, count: 2 },
    });
    expect(updatesOf(account)[0]?.ExpressionAttributeValues).toMatchObject({ ":max": 5 });
    expect(updatesOf(ip)[0]?.ExpressionAttributeValues).toMatchObject({ ":max": 50 });
    expect(JSON.stringify(updates())).not.toContain("203.0.113.7");
  });

  it("sends both claims before either answers", async () => {
    // Prepare: each claim waits a moment in DynamoDB; count how many are in flight together.
    let inFlight = 0;
    let most = 0;
    ddb.on(UpdateCommand).callsFake(async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return { Attributes: { attempts: 1, windowStart: NOW } };
    });

    // Act
    await claimPasswordAttempt("u1", "203.0.113.7");

    // Assess
    expect(most).toBe(2);
  });

  it("gives the IP's claim back and answers 429 LOCKED_OUT with Retry-After when the account is locked", async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 3, windowStart: NOW - 10 } });
    ddb.on(UpdateCommand, { Key: account, UpdateExpression: CLAIM }).rejects(refusedWith({ attempts: 5, windowStart: NOW - 1000, lockedUntil: NOW + 299_500 }));

    // Act
    const error = await refusal(claimPasswordAttempt("u1", "203.0.113.7"));

    // Assess
    expect(error).toMatchObject({ status: 429, code: "LOCKED_OUT", extra: { retryAfter: 300 }, headers: { "retry-after": "300" } });
    expect(updatesOf(ip).map((u) => u.UpdateExpression)).toEqual([CLAIM, "ADD attempts :minus"]);
    expect(updatesOf(ip)[1]?.ExpressionAttributeValues).toEqual({ ":minus": -1, ":ws": NOW - 10, ":zero": 0 });
    expect(updatesOf(account).map((u) => u.UpdateExpression)).toEqual([CLAIM]);
  });

  it("gives the account's claim back when the IP is over its limit", async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 1, windowStart: NOW } });
    ddb.on(UpdateCommand, { Key: ip, UpdateExpression: CLAIM }).rejects(refusedWith({ attempts: 50, windowStart: NOW - 300_000 }));
    await expect(claimPasswordAttempt("u1", "203.0.113.7")).rejects.toMatchObject({ status: 429, code: "LOCKED_OUT", headers: { "retry-after": "600" } });
    expect(updatesOf(account).map((u) => u.UpdateExpression)).toEqual([CLAIM, "ADD attempts :minus"]);
  });

  it("answers with the longer wait when both are refused, and gives nothing back", async () => {
    // Prepare: the account is locked for another minute, the IP's window ends in ten.
    ddb.on(UpdateCommand, { Key: account }).rejects(refusedWith({ attempts: 5, windowStart: NOW - 1000, lockedUntil: NOW + 60_000 }));
    ddb.on(UpdateCommand, { Key: ip }).rejects(refusedWith({ attempts: 50, windowStart: NOW - 300_000 }));

    // Act
    const error = await refusal(claimPasswordAttempt("u1", "203.0.113.7"));

    // Assess
    expect(error).toMatchObject({ status: 429, code: "LOCKED_OUT", headers: { "retry-after": "600" } });
    expect(updates()).toHaveLength(2);
  });

  it("passes a failure other than a limit through, after giving the granted claim back", async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 1, windowStart: NOW } });
    ddb.on(UpdateCommand, { Key: account, UpdateExpression: CLAIM }).rejects(new Error("throughput exceeded"));
    await expect(claimPasswordAttempt("u1", "203.0.113.7")).rejects.toThrow("throughput exceeded");
    expect(updatesOf(ip).map((u) => u.UpdateExpression)).toEqual([CLAIM, "ADD attempts :minus"]);
  });

  it("takes the limits and the lock from the environment", async () => {
    // Prepare
    vi.stubEnv("LOGIN_MAX_FAILURES_ACCOUNT", "2");
    vi.stubEnv("LOGIN_MAX_FAILURES_IP", "3");
    vi.stubEnv("LOGIN_LOCK_SECONDS", "60");
    resetConfigForTests();
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 2, windowStart: NOW } });

    // Act
    const claims = await claimPasswordAttempt("u1", "203.0.113.7");
    await passwordAttemptFailed(claims);

    // Assess
    expect(updatesOf(account)[0]?.ExpressionAttributeValues).toMatchObject({ ":max": 2, ":ttl": Math.floor(NOW / 1000) + 900 + 60 + 60 });
    expect(updatesOf(ip)[0]?.ExpressionAttributeValues).toMatchObject({ ":max": 3 });
    expect(updatesOf(account)[1]?.ExpressionAttributeValues).toMatchObject({ ":until": NOW + 60_000 }); // 2 of 2: locked
    expect(updatesOf(ip)).toHaveLength(1); // 2 of 3: not
  });
});

describe("passwordAttemptFailed and passwordAttemptSettled", () => {
  const account = { PK: "THROTTLE#ACCOUNT#u1", SK: "THROTTLE" };
  const ip = ipKey("203.0.113.7");
  const claims = (accountCount: number, ipCount: number) => ({
    account: { key: account, limit: { max: 5, windowSeconds: 900, lockSeconds: 900 }, windowStart: NOW - 1, count: accountCount },
    ip: { key: ip, limit: { max: 50, windowSeconds: 900, lockSeconds: 900 }, windowStart: NOW - 2, count: ipCount },
  });
  beforeEach(() => ddb.on(UpdateCommand).resolves({}));

  it("locks the account whose window a wrong password filled, and not the IP", async () => {
    await passwordAttemptFailed(claims(5, 5));
    expect(updatesOf(account).map((u) => u.UpdateExpression)).toEqual(["SET lockedUntil = :until, #ttl = :ttl"]);
    expect(updatesOf(ip)).toHaveLength(0);
  });

  it("locks the IP whose window a wrong password filled, and not the account", async () => {
    await passwordAttemptFailed(claims(1, 50));
    expect(updatesOf(ip).map((u) => u.ExpressionAttributeValues?.[":ws"])).toEqual([NOW - 2]);
    expect(updatesOf(account)).toHaveLength(0);
  });

  it("gives both claims back when the password was right (or never checked)", async () => {
    await passwordAttemptSettled(claims(3, 7));
    expect(updates().map((u) => [(u.Key as { PK: string }).PK, u.UpdateExpression, u.ExpressionAttributeValues?.[":ws"]])).toEqual([
      [account.PK, "ADD attempts :minus", NOW - 1],
      [ip.PK, "ADD attempts :minus", NOW - 2],
    ]);
  });
});

describe("limitPerIp", () => {
  it("claims one request of the route per client IP, keyed by a hash of the IP, in a 10-minute window without a lock", async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 1, windowStart: NOW } });

    // Act
    await limitPerIp("REGISTER", "203.0.113.7");

    // Assess
    expect(updates()).toEqual([
      expect.objectContaining({
        Key: routeKey("REGISTER", "203.0.113.7"),
        UpdateExpression: CLAIM,
        ExpressionAttributeValues: { ":entity": "THROTTLE", ":ttl": Math.floor(NOW / 1000) + 600 + 60, ":one": 1, ":cutoff": NOW - 600_000, ":max": 5, ":now": NOW },
      }),
    ]);
    expect(JSON.stringify(updates())).not.toContain("203.0.113.7");
  });

  it.each([
    ["REGISTER", 5],
    ["CODE_REQUEST", 10],
    ["CODE_CHECK", 30],
  ] as const)("limits %s to %i requests per IP by default, each route on a counter of its own", async (route, max) => {
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 1, windowStart: NOW } });
    await limitPerIp(route, "203.0.113.7");
    expect(updates()[0]).toMatchObject({ Key: routeKey(route, "203.0.113.7"), ExpressionAttributeValues: { ":max": max } });
  });

  it("answers 429 RATE_LIMITED with Retry-After until the window's end when the IP used up its requests", async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed(marshall({ attempts: 5, windowStart: NOW - 100_000 })));
    const error = await refusal(limitPerIp("REGISTER", "203.0.113.7"));
    expect(error).toMatchObject({ status: 429, code: "RATE_LIMITED", extra: { retryAfter: 500 }, headers: { "retry-after": "500" } });
  });

  it("takes the window and each route's limit from the environment", async () => {
    // Prepare
    vi.stubEnv("RATE_LIMIT_WINDOW_SECONDS", "60");
    vi.stubEnv("RATE_LIMIT_REGISTER_PER_IP", "2");
    vi.stubEnv("RATE_LIMIT_CODE_REQUESTS_PER_IP", "3");
    vi.stubEnv("RATE_LIMIT_CODE_CHECKS_PER_IP", "4");
    resetConfigForTests();
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 1, windowStart: NOW } });

    // Act
    for (const route of ["REGISTER", "CODE_REQUEST", "CODE_CHECK"] as const) await limitPerIp(route, "203.0.113.7");

    // Assess
    expect(updates().map((u) => [u.ExpressionAttributeValues?.[":max"], u.ExpressionAttributeValues?.[":cutoff"]])).toEqual([
      [2, NOW - 60_000],
      [3, NOW - 60_000],
      [4, NOW - 60_000],
    ]);
  });

  it("passes failures other than the limit through", async () => {
    ddb.on(UpdateCommand).rejects(new Error("table gone"));
    await expect(limitPerIp("CODE_CHECK", "203.0.113.7")).rejects.toThrow("table gone");
  });

  it("lets an IP register five times in a window, refuses the sixth, and counts other IPs apart", async () => {
    // Prepare
    fakeTable(ddb);
    for (let i = 0; i < 5; i++) await limitPerIp("REGISTER", "203.0.113.7");

    // Act
    const sixth = await refusal(limitPerIp("REGISTER", "203.0.113.7"));

    // Assess
    expect(sixth).toMatchObject({ status: 429, code: "RATE_LIMITED", headers: { "retry-after": "600" } });
    await expect(limitPerIp("REGISTER", "198.51.100.9")).resolves.toBeUndefined();
    await expect(limitPerIp("CODE_REQUEST", "203.0.113.7")).resolves.toBeUndefined();
  });
});
