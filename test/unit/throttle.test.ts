import { createHmac } from "node:crypto";
import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resetConfigForTests } from "#lib/config";
import type { AppError } from "#lib/errors";
import { assertNotLocked, clearAccount, recordFailure, type ThrottleKeys, throttleKeys } from "#lib/identity/throttle";
import { conditionFailed, freezeClock, NOW } from "#test/unit/support/aws";

const ddb = mockClient(DynamoDBDocumentClient);

const WINDOW_MS = 15 * 60 * 1000;
const accountKey = { PK: "THROTTLE#ACCOUNT#u1", SK: "THROTTLE" };
const counter = (overrides: Record<string, unknown> = {}) => ({ entity: "THROTTLE", failures: 1, windowStart: NOW - 1000, ...overrides });
const ipHash = (ip: string) => {
  const { hmac } = JSON.parse(process.env.LOCAL_KEYS ?? "{}") as { hmac: string };
  return createHmac("sha256", Buffer.from(hmac, "base64")).update(`IP\u0000${ip}`).digest("base64url");
};
const updates = () => ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
const updatesOf = (key: { PK: string }) => updates().filter((u) => (u.Key as { PK: string }).PK === key.PK);
const refusal = async (promise: Promise<unknown>) => (await promise.then(() => expect.unreachable("not refused"), (e: unknown) => e)) as AppError;

/**
 * A counter table that honours the module's condition expressions, so sequences of failures can be
 * played out. It only knows the three updates of lib/identity/throttle.ts and fails on anything else.
 */
function counterTable() {
  const rows = new Map<string, Record<string, unknown>>();
  const id = (key: Record<string, unknown>) => `${String(key.PK)}|${String(key.SK)}`;
  ddb.on(UpdateCommand).callsFake(async (input: UpdateCommandInput) => {
    const key = input.Key as Record<string, unknown>;
    const values = input.ExpressionAttributeValues as Record<string, number | string>;
    const row = rows.get(id(key));
    if (input.UpdateExpression === "ADD failures :one") {
      if (!row || !(Number(row.windowStart) > Number(values[":cutoff"]))) throw conditionFailed();
      row.failures = Number(row.failures) + 1;
      return { Attributes: { ...row } };
    }
    if (input.UpdateExpression?.startsWith("SET entity = :entity, failures = :one, windowStart = :now")) {
      if (row && !(Number(row.windowStart) <= Number(values[":cutoff"]))) throw conditionFailed();
      rows.set(id(key), { ...key, entity: values[":entity"], failures: values[":one"], windowStart: values[":now"], ttl: values[":ttl"] });
      return {};
    }
    if (input.UpdateExpression === "SET lockedUntil = :until, #ttl = :ttl") {
      rows.set(id(key), { ...key, ...row, lockedUntil: values[":until"], ttl: values[":ttl"] });
      return {};
    }
    throw new Error(`unexpected update: ${input.UpdateExpression}`);
  });
  ddb.on(BatchGetCommand).callsFake(async (input: { RequestItems: Record<string, { Keys: Record<string, unknown>[] }> }) => ({
    Responses: { "unit-table": (input.RequestItems["unit-table"]?.Keys ?? []).flatMap((k) => rows.get(id(k)) ?? []) },
  }));
  ddb.on(DeleteCommand).callsFake(async (input: { Key: Record<string, unknown> }) => {
    rows.delete(id(input.Key));
    return {};
  });
  return { row: (key: Record<string, unknown>) => rows.get(id(key)) };
}

let keys: ThrottleKeys;

beforeEach(async () => {
  ddb.reset();
  freezeClock();
  keys = await throttleKeys("u1", "203.0.113.7");
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  resetConfigForTests();
});

describe("throttleKeys", () => {
  it("keys the account by its id and the IP by a keyed hash, never by the address itself", async () => {
    // Assess
    expect(keys.account).toEqual(accountKey);
    expect(keys.ip).toEqual({ PK: `THROTTLE#IP#${ipHash("203.0.113.7")}`, SK: "THROTTLE" });
    expect(JSON.stringify(keys)).not.toContain("203.0.113.7");
    expect((await throttleKeys("u1", "203.0.113.8")).ip).not.toEqual(keys.ip);
  });
});

describe("assertNotLocked", () => {
  it("reads both counters and the caller's extra keys in one BatchGetItem and hands the extra items back in order", async () => {
    // Prepare
    const extra = [
      { PK: "USER#u1", SK: "PROFILE" },
      { PK: "USER#u1", SK: "DEVICE#d1" },
    ];
    ddb.on(BatchGetCommand).resolves({ Responses: { "unit-table": [{ ...extra[1], entity: "DEVICE" }, { ...extra[0], entity: "USER" }] } });

    // Act
    const result = await assertNotLocked(keys, extra);

    // Assess
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(1);
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.["unit-table"]?.Keys).toEqual([keys.account, keys.ip, ...extra]);
    expect(result).toEqual({ items: [{ ...extra[0], entity: "USER" }, { ...extra[1], entity: "DEVICE" }], accountHasFailures: false });
  });

  it("tells the caller when the account has failures on record, so a success can clear them", async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { "unit-table": [{ ...keys.account, ...counter({ failures: 2 }) }] } });
    await expect(assertNotLocked(keys)).resolves.toEqual({ items: [], accountHasFailures: true });
  });

  it.each([
    ["account", () => keys.account],
    ["IP", () => keys.ip],
  ])("refuses with 429 LOCKED_OUT while the %s is locked, with Retry-After in whole seconds until lockedUntil", async (_name, key) => {
    // Prepare
    ddb.on(BatchGetCommand).resolves({ Responses: { "unit-table": [{ ...key(), ...counter({ failures: 5, lockedUntil: NOW + 89_400 }) }] } });

    // Act
    const error = await refusal(assertNotLocked(keys));

    // Assess
    expect(error).toMatchObject({ status: 429, code: "LOCKED_OUT", extra: { retryAfter: 90 }, headers: { "retry-after": "90" } });
  });

  it("takes the later of the two locks for Retry-After", async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        "unit-table": [
          { ...keys.account, ...counter({ lockedUntil: NOW + 60_000 }) },
          { ...keys.ip, ...counter({ lockedUntil: NOW + 600_000 }) },
        ],
      },
    });
    await expect(assertNotLocked(keys)).rejects.toMatchObject({ status: 429, headers: { "retry-after": "600" } });
  });

  it("lets the caller through once lockedUntil has passed", async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: { "unit-table": [{ ...keys.account, ...counter({ failures: 5, lockedUntil: NOW }) }, { ...keys.ip, ...counter({ lockedUntil: NOW - 1 }) }] },
    });
    await expect(assertNotLocked(keys)).resolves.toEqual({ items: [], accountHasFailures: true });
  });

  it("does not take an item of another entity under a counter key for a lock", async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { "unit-table": [{ ...keys.ip, entity: "USER", lockedUntil: NOW + 60_000 }] } });
    await expect(assertNotLocked(keys)).resolves.toMatchObject({ items: [] });
  });
});

describe("recordFailure", () => {
  it("adds one failure to each key's current window, on condition that the window is still open", async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({ Attributes: { failures: 2 } });

    // Act
    const locked = await recordFailure(keys);

    // Assess
    expect(locked).toBe(false);
    for (const key of [keys.account, keys.ip]) {
      expect(updatesOf(key)).toEqual([
        {
          TableName: "unit-table",
          Key: key,
          UpdateExpression: "ADD failures :one",
          ConditionExpression: "windowStart > :cutoff",
          ExpressionAttributeValues: { ":one": 1, ":cutoff": NOW - WINDOW_MS },
          ReturnValues: "ALL_NEW",
        },
      ]);
    }
  });

  it("starts a new window (clearing an old lock) when there is no counter or its window is over", async () => {
    // Prepare
    ddb.on(UpdateCommand, { UpdateExpression: "ADD failures :one" }).rejects(conditionFailed());
    ddb.on(UpdateCommand, { ConditionExpression: "attribute_not_exists(windowStart) OR windowStart <= :cutoff" }).resolves({});

    // Act
    const locked = await recordFailure(keys);

    // Assess
    expect(locked).toBe(false);
    expect(updatesOf(keys.account)[1]).toEqual({
      TableName: "unit-table",
      Key: keys.account,
      UpdateExpression: "SET entity = :entity, failures = :one, windowStart = :now, #ttl = :ttl REMOVE lockedUntil",
      ConditionExpression: "attribute_not_exists(windowStart) OR windowStart <= :cutoff",
      ExpressionAttributeNames: { "#ttl": "ttl" },
      ExpressionAttributeValues: {
        ":entity": "THROTTLE",
        ":one": 1,
        ":now": NOW,
        ":cutoff": NOW - WINDOW_MS,
        ":ttl": Math.floor(NOW / 1000) + 900 + 900,
      },
    });
    expect(updates()).toHaveLength(4); // add + start, for each key
  });

  it("adds to the window a concurrent request has just started instead of starting another", async () => {
    // Prepare: the add fails (no window yet), the start fails (someone else started it), the second add lands.
    ddb
      .on(UpdateCommand, { Key: keys.account, UpdateExpression: "ADD failures :one" })
      .rejectsOnce(conditionFailed())
      .resolves({ Attributes: { failures: 2 } });
    ddb.on(UpdateCommand, { Key: keys.account, ConditionExpression: "attribute_not_exists(windowStart) OR windowStart <= :cutoff" }).rejects(conditionFailed());
    ddb.on(UpdateCommand, { Key: keys.ip }).resolves({ Attributes: { failures: 1 } });

    // Act
    const locked = await recordFailure(keys);

    // Assess
    expect(locked).toBe(false);
    expect(updatesOf(keys.account).map((u) => u.UpdateExpression?.split(" ")[0])).toEqual(["ADD", "SET", "ADD"]);
  });

  it("locks the account for LOGIN_LOCK_SECONDS when its failures reach the account limit, and not the IP", async () => {
    // Prepare
    ddb.on(UpdateCommand, { Key: keys.account }).resolves({ Attributes: { failures: 5 } });
    ddb.on(UpdateCommand, { Key: keys.ip }).resolves({ Attributes: { failures: 5 } });

    // Act
    const locked = await recordFailure(keys);

    // Assess
    expect(locked).toBe(true);
    expect(updatesOf(keys.account)[1]).toEqual({
      TableName: "unit-table",
      Key: keys.account,
      UpdateExpression: "SET lockedUntil = :until, #ttl = :ttl",
      ExpressionAttributeNames: { "#ttl": "ttl" },
      ExpressionAttributeValues: { ":until": NOW + 900_000, ":ttl": Math.floor(NOW / 1000) + 960 },
    });
    expect(updatesOf(keys.ip)).toHaveLength(1); // 5 of 50: no lock
  });

  it("locks the IP when its failures reach the IP limit, without locking the account", async () => {
    ddb.on(UpdateCommand, { Key: keys.account }).resolves({ Attributes: { failures: 1 } });
    ddb.on(UpdateCommand, { Key: keys.ip }).resolves({ Attributes: { failures: 50 } });

    await expect(recordFailure(keys)).resolves.toBe(true);
    expect(updatesOf(keys.ip)[1]?.ExpressionAttributeValues).toMatchObject({ ":until": NOW + 900_000 });
    expect(updatesOf(keys.account)).toHaveLength(1);
  });

  it("takes the limits and the lock duration from the environment", async () => {
    // Prepare
    vi.stubEnv("LOGIN_MAX_FAILURES_ACCOUNT", "2");
    vi.stubEnv("LOGIN_MAX_FAILURES_IP", "3");
    vi.stubEnv("LOGIN_LOCK_SECONDS", "60");
    resetConfigForTests();
    ddb.on(UpdateCommand, { Key: keys.account }).resolves({ Attributes: { failures: 2 } });
    ddb.on(UpdateCommand, { Key: keys.ip }).resolves({ Attributes: { failures: 2 } });

    // Act
    const locked = await recordFailure(keys);

    // Assess
    expect(locked).toBe(true);
    expect(updatesOf(keys.account)[1]?.ExpressionAttributeValues).toEqual({ ":until": NOW + 60_000, ":ttl": Math.floor(NOW / 1000) + 120 });
    expect(updatesOf(keys.ip)).toHaveLength(1); // 2 of 3
  });

  it("locks on the very first failure when the limit is one", async () => {
    vi.stubEnv("LOGIN_MAX_FAILURES_ACCOUNT", "1");
    resetConfigForTests();
    ddb.on(UpdateCommand).resolves({}); // the more specific behaviour below must come after
    ddb.on(UpdateCommand, { UpdateExpression: "ADD failures :one" }).rejects(conditionFailed());

    await expect(recordFailure(keys)).resolves.toBe(true);
    expect(updatesOf(keys.account).map((u) => u.UpdateExpression)).toEqual([
      "ADD failures :one",
      "SET entity = :entity, failures = :one, windowStart = :now, #ttl = :ttl REMOVE lockedUntil",
      "SET lockedUntil = :until, #ttl = :ttl",
    ]);
  });

  it("passes errors other than a failed condition through", async () => {
    ddb.on(UpdateCommand).rejects(Object.assign(new Error("throughput exceeded"), { name: "ProvisionedThroughputExceededException" }));
    await expect(recordFailure(keys)).rejects.toThrow("throughput exceeded");
  });

  it("passes errors of the window start other than a failed condition through", async () => {
    ddb.on(UpdateCommand).rejects(new Error("network down"));
    ddb.on(UpdateCommand, { UpdateExpression: "ADD failures :one" }).rejects(conditionFailed());
    await expect(recordFailure(keys)).rejects.toThrow("network down");
    expect(updatesOf(keys.account).map((u) => u.UpdateExpression?.split(" ")[0])).toEqual(["ADD", "SET"]);
  });
});

describe("clearAccount", () => {
  it("deletes the account's counter and lock, and only that item", async () => {
    ddb.on(DeleteCommand).resolves({});
    await clearAccount("u1");
    expect(ddb.calls()).toHaveLength(1);
    expect(ddb.commandCalls(DeleteCommand)[0]?.args[0].input).toEqual({ TableName: "unit-table", Key: accountKey });
  });
});

describe("a brute-force attempt played out against the counters", () => {
  it("is locked out at the fifth failure in a window, even with the right password, until the lock ends", async () => {
    // Prepare
    const table = counterTable();

    // Act: four failures a second apart, then the fifth.
    const results: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      vi.setSystemTime(NOW + i * 1000);
      await assertNotLocked(keys);
      results.push(await recordFailure(keys));
    }

    // Assess
    expect(results).toEqual([false, false, false, false, true]);
    expect(table.row(keys.account)).toMatchObject({ failures: 5, windowStart: NOW, lockedUntil: NOW + 4000 + 900_000 });
    expect(table.row(keys.ip)).toMatchObject({ failures: 5 });
    expect(table.row(keys.ip)?.lockedUntil).toBeUndefined();
    await expect(assertNotLocked(keys)).rejects.toMatchObject({ status: 429, code: "LOCKED_OUT", headers: { "retry-after": "900" } });
    vi.setSystemTime(NOW + 4000 + 900_000 - 1);
    await expect(assertNotLocked(keys)).rejects.toMatchObject({ status: 429, headers: { "retry-after": "1" } });
    vi.setSystemTime(NOW + 4000 + 900_000 + 1);
    await expect(assertNotLocked(keys)).resolves.toMatchObject({ accountHasFailures: true });
  });

  it("starts counting afresh once the window is over, and a success clears the account but not the IP", async () => {
    // Prepare
    const table = counterTable();
    for (let i = 0; i < 3; i++) await recordFailure(keys);

    // Act
    vi.setSystemTime(NOW + WINDOW_MS + 1);
    const locked = await recordFailure(keys);
    await clearAccount("u1");

    // Assess
    expect(locked).toBe(false);
    expect(table.row(keys.account)).toBeUndefined();
    expect(table.row(keys.ip)).toMatchObject({ failures: 1, windowStart: NOW + WINDOW_MS + 1 });
    await expect(assertNotLocked(keys)).resolves.toEqual({ items: [], accountHasFailures: false });
  });
});
