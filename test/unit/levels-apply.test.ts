import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, TransactWriteCommand, type TransactWriteCommandInput, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetConfigForTests } from "#lib/config";
import { activeDaysAttribute } from "#lib/credit/counters";
import { recordEvent } from "#lib/credit/ingest";
import { computeCredit } from "#lib/credit/model";
import { recomputeBatch, type UserSnapshot } from "#lib/credit/recompute";
import { encryptField } from "#lib/crypto/fields";
import { userLevelIndex } from "#lib/data/user";
import { freezeClock, NOW } from "#test/unit/support/aws";

// The nightly's write path for levels: a user whose level does not change is written as before
// (one UpdateItem, no extra read); one whose level changes gets ONE transaction with the score, the
// level, the audit entry and the mail, after reading only that user's item.

const ddb = mockClient(DynamoDBDocumentClient);
const ASOF = "2026-11-20T12:00:00.000Z";
type Item = Record<string, unknown>;

const countersKey = (id: string) => ({ PK: `USER#${id}`, SK: "CREDIT" });
const userKey = (id: string) => ({ PK: `USER#${id}`, SK: "PROFILE" });
const counters = (id: string, completed: number): Item => ({ ...countersKey(id), entity: "CREDIT_COUNTERS", "t.TRANSACTION_COMPLETED": completed, "m.COMPLETED.2026-11": completed });
const snapshot = (overrides: Partial<UserSnapshot> = {}): UserSnapshot => ({
  status: "ACTIVE",
  identityStatus: "NONE",
  creditScore: 600,
  creditTier: "FAIR",
  level: "NEWBIE",
  emailVerified: true,
  markedBy: "evt-1",
  ...overrides,
});
async function userItem(id: string, overrides: Item = {}): Promise<Item> {
  return {
    ...userKey(id),
    entity: "USER",
    userId: id,
    username: id,
    emailEnc: await encryptField(`${id}@example.com`, `${id}:email`),
    emailVerified: true,
    status: "ACTIVE",
    level: "NEWBIE",
    identityStatus: "NONE",
    creditScore: 600,
    creditTier: "FAIR",
    createdAt: "2026-01-01T00:00:00.000Z",
    creditDirtyBy: "evt-1",
    ...overrides,
  };
}

/** BatchGetItem answers whatever of `items` was asked for; every write succeeds. */
function table(items: Item[]) {
  ddb.on(BatchGetCommand).callsFake(async (input: { RequestItems: Record<string, { Keys: Item[] }> }) => {
    const keys = input.RequestItems["unit-table"]?.Keys ?? [];
    return { Responses: { "unit-table": items.filter((i) => keys.some((k) => k.PK === i.PK && k.SK === i.SK)) } };
  });
  ddb.on(UpdateCommand).resolves({});
  ddb.on(BatchWriteCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
}
const batchGetKeys = () => ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.["unit-table"]?.Keys);
const transactions = () => ddb.commandCalls(TransactWriteCommand).map((c) => (c.args[0].input as TransactWriteCommandInput).TransactItems ?? []);
const userUpdates = () =>
  ddb
    .commandCalls(UpdateCommand)
    .map((c) => c.args[0].input)
    .filter((u) => (u.Key as { SK: string }).SK === "PROFILE");

beforeEach(() => {
  ddb.reset();
  freezeClock();
  resetConfigForTests();
});
afterEach(() => resetConfigForTests());

describe("the nightly's level evaluation", () => {
  it("writes a user whose level stays as before: one UpdateItem, only the counters read", async () => {
    table([counters("u1", 2)]);
    const outcome = await recomputeBatch({ runId: "run-1", asOf: ASOF, users: [{ userId: "u1", snapshot: snapshot() }] });
    expect(batchGetKeys()).toEqual([[countersKey("u1")]]);
    expect(transactions()).toEqual([]);
    expect(userUpdates()).toHaveLength(1);
    expect(outcome).toMatchObject({ recomputed: 1, levelsChanged: 0 });
  });

  it("promotes in ONE transaction: score, level, GSI3 key, marker cleared; the audit entry; the mail; reading only that user's item", async () => {
    // Prepare: three completed transactions, a verified e-mail.
    table([counters("u1", 3), await userItem("u1")]);
    const credit = computeCredit({ identityVerified: false, buckets: [{ metric: "COMPLETED", month: "2026-11", count: 3 }], asOf: ASOF });

    // Act
    const outcome = await recomputeBatch({ runId: "run-1", asOf: ASOF, users: [{ userId: "u1", snapshot: snapshot() }, { userId: "u2", snapshot: snapshot({ markedBy: "evt-2" }) }] });

    // Assess
    expect(batchGetKeys()).toEqual([[countersKey("u1"), countersKey("u2")], [userKey("u1")]]);
    const [items] = transactions();
    expect(items).toHaveLength(3);
    expect(items?.[0]?.Update).toEqual({
      TableName: "unit-table",
      Key: userKey("u1"),
      UpdateExpression:
        "SET creditScore = :score, creditTier = :tier, creditComputedAt = :at, #level = :to, levelChangedAt = :now, updatedAt = :now, GSI3PK = :gsi3pk, GSI3SK = if_not_exists(GSI3SK, :gsi3sk) REMOVE GSI2PK, GSI2SK, creditDirtyBy",
      ConditionExpression: "attribute_exists(PK) AND #level = :from AND attribute_not_exists(levelPin) AND creditDirtyBy = :seen",
      ExpressionAttributeNames: { "#level": "level" },
      ExpressionAttributeValues: {
        ":score": credit.score,
        ":tier": credit.tier,
        ":at": ASOF,
        ":to": "ACTIVE",
        ":from": "NEWBIE",
        ":now": new Date(NOW).toISOString(),
        ":gsi3pk": userLevelIndex("u1", "ACTIVE", "2026-01-01T00:00:00.000Z").GSI3PK,
        ":gsi3sk": "2026-01-01T00:00:00.000Z#u1",
        ":seen": "evt-1",
      },
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    });
    expect(items?.[1]?.Put?.Item).toMatchObject({
      PK: "AUDIT#USER#u1",
      actorId: "system:nightly",
      action: "LEVEL_CHANGED",
      requestId: "run-1",
      reason: "3 completed transactions",
      details: { from: "NEWBIE", to: "ACTIVE", rule: "PROMOTE_TO_ACTIVE" },
    });
    expect(items?.[2]?.Put?.Item).toMatchObject({ PK: "USER#u1", entity: "OUTBOX", channel: "EMAIL", template: "LEVEL_CHANGED", status: "PENDING" });
    // u2 stayed NEWBIE: its score write is the usual UpdateItem.
    expect(userUpdates().map((u) => u.Key)).toEqual([userKey("u2")]);
    expect(outcome).toMatchObject({ recomputed: 2, levelsChanged: 1, failedUserIds: [] });
  });

  it("removes an expired pin in the same write, on the condition that it is still the pin seen", async () => {
    const pin = { by: "staff-1", at: "2026-10-01T00:00:00.000Z", until: "2026-11-01T00:00:00.000Z" };
    table([counters("u1", 3), await userItem("u1", { levelPin: pin })]);
    await recomputeBatch({ runId: "run-1", asOf: ASOF, users: [{ userId: "u1", snapshot: snapshot({ levelPin: pin }) }] });
    const update = transactions()[0]?.[0]?.Update;
    expect(update?.UpdateExpression).toMatch(/REMOVE GSI2PK, GSI2SK, creditDirtyBy, levelPin$/);
    expect(update?.ConditionExpression).toBe("attribute_exists(PK) AND #level = :from AND levelPin.#pinAt = :pinAt AND creditDirtyBy = :seen");
    expect(update?.ExpressionAttributeValues?.[":pinAt"]).toBe(pin.at);
  });

  it("leaves a pinned level alone: no read, no transaction", async () => {
    table([counters("u1", 30)]);
    await recomputeBatch({ runId: "run-1", asOf: ASOF, users: [{ userId: "u1", snapshot: snapshot({ levelPin: { by: "staff-1", at: "2026-11-01T00:00:00.000Z" } }) }] });
    expect(batchGetKeys()).toHaveLength(1);
    expect(transactions()).toEqual([]);
  });

  it("keeps a marker set meanwhile: the item read shows another marker, so the level write leaves it", async () => {
    table([counters("u1", 3), await userItem("u1", { creditDirtyBy: "evt-later" })]);
    await recomputeBatch({ runId: "run-1", asOf: ASOF, users: [{ userId: "u1", snapshot: snapshot() }] });
    const update = transactions()[0]?.[0]?.Update;
    expect(update?.UpdateExpression).not.toContain("REMOVE");
    expect(update?.ConditionExpression).toBe("attribute_exists(PK) AND #level = :from AND attribute_not_exists(levelPin)");
  });

  it("respects a staff pin set between the read and the write: decides again on the item returned, then stores the score alone", async () => {
    table([counters("u1", 3), await userItem("u1")]);
    const pinned = await userItem("u1", { level: "NEWBIE", levelPin: { by: "staff-1", at: "2026-11-20T11:59:00.000Z" } });
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: "cancelled", $metadata: {}, CancellationReasons: [{ Code: "ConditionalCheckFailed", Item: marshall(pinned) as never }, { Code: "None" }, { Code: "None" }] }),
    );
    const outcome = await recomputeBatch({ runId: "run-1", asOf: ASOF, users: [{ userId: "u1", snapshot: snapshot() }] });
    expect(transactions()).toHaveLength(1);
    expect(userUpdates().map((u) => u.ConditionExpression)).toEqual(["attribute_exists(PK) AND creditDirtyBy = :seen"]);
    expect(outcome).toMatchObject({ recomputed: 1, levelsChanged: 0, failedUserIds: [] });
  });

  it("does not promote twice on a redelivered batch: the item read already has the new level", async () => {
    table([counters("u1", 3), await userItem("u1", { level: "ACTIVE" })]);
    await recomputeBatch({ runId: "run-1", asOf: ASOF, users: [{ userId: "u1", snapshot: snapshot() }] });
    expect(transactions()).toEqual([]);
    expect(userUpdates()).toHaveLength(1);
  });

  it("recompute now reuses the user item it read (no second read) and audits as system:recompute with the request id", async () => {
    table([counters("u1", 3), await userItem("u1")]);
    await recomputeBatch({ asOf: ASOF, users: [{ userId: "u1" }] }, { force: true, requestId: "req-9" });
    expect(batchGetKeys()).toEqual([[userKey("u1"), countersKey("u1")]]);
    expect(transactions()[0]?.[1]?.Put?.Item).toMatchObject({ actorId: "system:recompute", requestId: "req-9" });
  });
});

describe("recording an ACTIVE_DAY event", () => {
  const countersUpdate = () => (ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input as TransactWriteCommandInput).TransactItems?.[1]?.Update;
  const event = (occurredAt: string) => ({ eventId: "e-1", userId: "u1", type: "ACTIVE_DAY" as const, occurredAt, attributes: {} });

  it("adds the UTC day to its month's set and removes the year of sets before the three months kept, in the same update", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await recordEvent(event("2026-11-21T01:30:00+08:00"), ASOF); // 2026-11-20 in UTC
    const update = countersUpdate();
    expect(update?.UpdateExpression).toMatch(/ADD .*#activeDays :activeDay REMOVE #stale0, #stale1, .*#stale11$/);
    expect(update?.ExpressionAttributeNames?.["#activeDays"]).toBe(activeDaysAttribute("2026-11"));
    expect(update?.ExpressionAttributeValues?.[":activeDay"]).toEqual(new Set(["2026-11-20"]));
    expect(update?.ExpressionAttributeNames?.["#stale0"]).toBe(activeDaysAttribute("2026-08"));
    expect(update?.ExpressionAttributeNames?.["#stale11"]).toBe(activeDaysAttribute("2025-09"));
  });

  it("still counts a day too old to ever matter, but does not store it", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await recordEvent(event("2026-06-01T00:00:00Z"), ASOF);
    expect(countersUpdate()?.UpdateExpression).not.toMatch(/activeDays|REMOVE/);
    expect(countersUpdate()?.UpdateExpression).toContain("ADD");
  });
});
