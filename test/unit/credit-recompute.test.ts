import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resetConfigForTests } from "#lib/config";
import { bucketAttribute } from "#lib/credit/counters";
import { computeCredit } from "#lib/credit/model";
import { parseRecomputeBatch, type RecomputeBatch, recomputeBatch, type UserSnapshot } from "#lib/credit/recompute";
import { HISTORY_RETENTION_SECONDS } from "#lib/data/credit";
import { RUN_RETENTION_SECONDS } from "#lib/data/job-run";
import { changedUsers, creditRecomputeStep, isFullPassDay, planRecompute, startRecomputeRun, USERS_PER_BATCH } from "#lib/jobs/credit-recompute";
import { conditionFailed, freezeClock, NOW } from "#test/unit/support/aws";

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const QUEUE = "http://sqs.local/000000000000/credit-recompute";

type Item = Record<string, unknown>;
const userItem = (n: number, overrides: Item = {}): Item => ({
  PK: `USER#u${n}`,
  SK: "PROFILE",
  entity: "USER",
  userId: `u${n}`,
  status: "ACTIVE",
  identityStatus: "NONE",
  creditScore: 600,
  creditTier: "FAIR",
  ...overrides,
});
/** A marked user as the GSI2 marker shard holds it: the full user item plus the marker attributes. */
const marked = (n: number) => ({ ...userItem(n), GSI2PK: `CREDIT_DIRTY#${n % 16}`, GSI2SK: `u${n}`, creditDirtyBy: `evt-${n}` });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/**
 * The two indexes the planner reads: GSI2 (marker shards) holds `dirty`, GSI1 (active users by
 * status shard) holds `active`; user n lives in shard n % 16. Each shard answers in pages of `page`.
 */
function indexes(dirty: Item[], active: Item[], page = 1000) {
  ddb.on(QueryCommand).callsFake(async (input: QueryCommandInput) => {
    const pk = String(input.ExpressionAttributeValues?.[":pk"]);
    const shard = Number(pk.split("#").at(-1));
    const source = input.IndexName === "GSI2" ? dirty : active;
    const all = source.filter((item) => Number(String(item.userId).slice(1)) % 16 === shard);
    const start = Number((input.ExclusiveStartKey as { offset?: number } | undefined)?.offset ?? 0);
    const items = all.slice(start, start + page);
    return { Items: items, ...(start + page < all.length ? { LastEvaluatedKey: { offset: start + page } } : {}) };
  });
}
const queries = () => ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);

beforeEach(() => {
  ddb.reset();
  sqs.reset();
  freezeClock();
  vi.stubEnv("RECOMPUTE_QUEUE_URL", QUEUE);
  vi.stubEnv("CREDIT_FULL_RECOMPUTE", "");
  resetConfigForTests();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  resetConfigForTests();
});

describe("changedUsers (the planner's read)", () => {
  it("queries each of the 16 GSI2 marker shards, follows their pages and keeps each user's snapshot with the marker seen", async () => {
    // Prepare: 40 marked users, shards answering 2 items per page.
    indexes(range(0, 40).map(marked), [], 2);

    // Act
    const users = await changedUsers();

    // Assess
    const firstPages = queries().filter((q) => q.ExclusiveStartKey === undefined);
    expect(firstPages.map((q) => q.ExpressionAttributeValues?.[":pk"]).sort()).toEqual(range(0, 16).map((s) => `CREDIT_DIRTY#${s}`).sort());
    expect(firstPages[0]).toEqual({
      TableName: "unit-table",
      IndexName: "GSI2",
      KeyConditionExpression: "GSI2PK = :pk",
      ExpressionAttributeValues: { ":pk": "CREDIT_DIRTY#0" },
    });
    expect(queries()).toHaveLength(16 + 8); // shards 0-7 hold 3 users: a second page each
    expect(users.size).toBe(40);
    expect(users.get("u17")).toEqual({ status: "ACTIVE", identityStatus: "NONE", creditScore: 600, creditTier: "FAIR", markedBy: "evt-17" });
  });
});

describe("planRecompute", () => {
  it(`batches the changed users by ${USERS_PER_BATCH}, every batch carrying the run and its asOf`, async () => {
    // Prepare
    indexes(range(0, 250).map(marked), range(0, 300).map((n) => userItem(n)));

    // Act
    const plan = await planRecompute({ full: false, runId: "run-1", asOf: "2026-11-20T00:00:00.000Z" });

    // Assess
    expect(plan.batches.map((b) => b.users.length)).toEqual([100, 100, 50]);
    expect(plan.batches.every((b) => b.runId === "run-1" && b.asOf === "2026-11-20T00:00:00.000Z")).toBe(true);
    expect(new Set(plan.batches.flatMap((b) => b.users.map((u) => u.userId)))).toEqual(new Set(range(0, 250).map((n) => `u${n}`)));
    expect(plan).toMatchObject({ changedUsers: 250, fullPassUsers: 0 });
    expect(queries().every((q) => q.IndexName === "GSI2")).toBe(true); // no full pass, no GSI1 read
  });

  it("adds every active user on a full pass, once each, keeping the changed users' snapshots with their markers", async () => {
    // Prepare: u0–u249 changed, u0–u299 active.
    indexes(range(0, 250).map(marked), range(0, 300).map((n) => userItem(n)));

    // Act
    const plan = await planRecompute({ full: true });

    // Assess
    const entries = plan.batches.flatMap((b) => b.users);
    expect(entries).toHaveLength(300);
    expect(new Set(entries.map((e) => e.userId)).size).toBe(300);
    expect(plan).toMatchObject({ changedUsers: 250, fullPassUsers: 300 });
    expect(plan.batches.map((b) => b.users.length)).toEqual([100, 100, 100]);
    const byId = new Map(entries.map((e) => [e.userId, e.snapshot]));
    expect(byId.get("u5")?.markedBy).toBe("evt-5");
    expect(byId.get("u275")).toEqual({ status: "ACTIVE", identityStatus: "NONE", creditScore: 600, creditTier: "FAIR" });
    const gsi1 = queries().filter((q) => q.IndexName === "GSI1");
    expect(gsi1.map((q) => q.ExpressionAttributeValues?.[":pk"]).sort()).toEqual(range(0, 16).map((s) => `USERS#ACTIVE#${s}`).sort());
    expect(gsi1[0]).toMatchObject({ KeyConditionExpression: "GSI1PK = :pk", ExpressionAttributeNames: { "#status": "status" } });
  });

  it("plans no batch when nobody changed", async () => {
    indexes([], []);
    const plan = await planRecompute({ full: false });
    expect(plan.batches).toEqual([]);
    expect(plan.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(plan.asOf).toBe(new Date(NOW).toISOString());
  });
});

describe("isFullPassDay", () => {
  it.each([
    ["Saturday 23:59:59 in Shanghai", "2026-11-28T15:59:59Z", false],
    ["Sunday 00:00 in Shanghai (still Saturday in UTC)", "2026-11-28T16:00:00Z", true],
    ["Sunday 23:59:59 in Shanghai", "2026-11-29T15:59:59Z", true],
    ["Monday 00:00 in Shanghai (still Sunday in UTC)", "2026-11-29T16:00:00Z", false],
  ])("is %s → %s", (_name, at, expected) => {
    expect(isFullPassDay(new Date(at))).toBe(expected);
  });

  it("is forced by CREDIT_FULL_RECOMPUTE=1 on any day", () => {
    vi.stubEnv("CREDIT_FULL_RECOMPUTE", "1");
    expect(isFullPassDay(new Date("2026-11-25T12:00:00Z"))).toBe(true);
  });
});

describe("startRecomputeRun", () => {
  const runUpdate = () => ddb.commandCalls(UpdateCommand)[0]?.args[0].input;

  it("adds the pass's planned work to the run item and sends the batches to the recompute queue, ten per SendMessageBatch", async () => {
    // Prepare: 1,050 changed users → 11 batches → two SQS requests.
    indexes(range(0, 1050).map(marked), []);
    ddb.on(UpdateCommand).resolves({});
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

    // Act
    const plan = await startRecomputeRun({ full: false });

    // Assess
    expect(plan.pass).toMatch(/^[0-9a-f]{8}$/);
    expect(runUpdate()).toMatchObject({
      TableName: "unit-table",
      Key: { PK: "JOB#CREDIT_RECOMPUTE", SK: `RUN#${plan.runId}` },
      ExpressionAttributeNames: { "#plannedPass": `planned_${plan.pass}` },
      ExpressionAttributeValues: {
        ":entity": "CREDIT_RECOMPUTE_RUN",
        ":runId": plan.runId,
        ":asOf": new Date(NOW).toISOString(),
        ":full": false,
        ":pass": plan.pass,
        ":batches": 11,
        ":users": 1050,
        ":changed": 1050,
        ":ttl": Math.floor(NOW / 1000) + RUN_RETENTION_SECONDS,
      },
    });
    // Planned work adds up over the passes of a run taken over; the ttl is kept from the first.
    expect(runUpdate()?.UpdateExpression).toContain("ADD plannedUsers :users, plannedBatches :batches");
    expect(runUpdate()?.UpdateExpression).toContain("if_not_exists(#ttl, :ttl)");
    const sent = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input);
    expect(sent.map((s) => s.QueueUrl)).toEqual([QUEUE, QUEUE]);
    expect(sent.map((s) => s.Entries?.length)).toEqual([10, 1]);
    const bodies = sent.flatMap((s) => s.Entries ?? []).map((e) => JSON.parse(e.MessageBody ?? "") as RecomputeBatch);
    expect(bodies).toEqual(plan.batches);
    expect(bodies.map((b) => b.batch)).toEqual(range(0, 11));
    expect(bodies.every((b) => b.pass === plan.pass)).toBe(true);
    expect(bodies[0]?.users[0]).toMatchObject({ snapshot: { markedBy: expect.stringMatching(/^evt-/) } });
  });

  it("continues a run taken over under its id and asOf", async () => {
    indexes(range(0, 3).map(marked), []);
    ddb.on(UpdateCommand).resolves({});
    sqs.on(SendMessageBatchCommand).resolves({});
    const plan = await startRecomputeRun({ full: false, runId: "run-dead", asOf: "2026-11-19T18:00:00.000Z" });
    expect(plan.batches[0]).toMatchObject({ runId: "run-dead", asOf: "2026-11-19T18:00:00.000Z" });
    expect(runUpdate()?.Key).toEqual({ PK: "JOB#CREDIT_RECOMPUTE", SK: "RUN#run-dead" });
  });

  it("sends nothing when there is nothing to recompute, but still records the pass", async () => {
    indexes([], []);
    ddb.on(UpdateCommand).resolves({});
    await startRecomputeRun({ full: false });
    expect(runUpdate()?.ExpressionAttributeValues).toMatchObject({ ":users": 0, ":batches": 0 });
    expect(sqs.calls()).toHaveLength(0);
  });
});

describe("creditRecomputeStep", () => {
  const context = { runId: "nightly-1", asOf: new Date(NOW).toISOString() };

  it("without a way to wait, plans, fans out and reports the planned counts only", async () => {
    // Prepare: a Friday, so no full pass.
    indexes(range(0, 120).map(marked), range(0, 500).map((n) => userItem(n)));
    ddb.on(UpdateCommand).resolves({});
    sqs.on(SendMessageBatchCommand).resolves({});

    // Act
    const counts = await creditRecomputeStep.run(context);

    // Assess
    expect(counts).toEqual({ changedUsers: 120, fullPass: 0, plannedUsers: 120, batches: 2 });
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
    expect(queries().some((q) => q.IndexName === "GSI1")).toBe(false);
  });

  it("on a Sunday in Shanghai (the run's asOf), adds the full pass over every active user", async () => {
    indexes(range(0, 120).map(marked), range(0, 500).map((n) => userItem(n)));
    ddb.on(UpdateCommand).resolves({});
    sqs.on(SendMessageBatchCommand).resolves({});
    await expect(creditRecomputeStep.run({ runId: "nightly-1", asOf: "2026-11-28T17:00:00.000Z" })).resolves.toEqual({
      changedUsers: 120,
      fullPass: 1,
      plannedUsers: 500,
      batches: 5,
    });
  });

  it("with awaitQueue, waits until this pass's batches are all done, then reports the run's totals", async () => {
    // Prepare
    indexes(range(0, 3).map(marked), []);
    ddb.on(UpdateCommand).resolves({});
    let pass = "";
    ddb.on(GetCommand).callsFake(async () => ({ Item: { recomputed: 3, changed: 2, skipped: 1, batchesDone: 1, [`done_${pass}`]: 1 } }));
    sqs.on(SendMessageBatchCommand).resolves({});
    let doneBefore: boolean | undefined;
    const awaitQueue = vi.fn(async (_url: string, done: () => Promise<boolean>) => {
      expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1); // the batches are out before the wait
      pass = String(ddb.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues?.[":pass"]);
      doneBefore = await done();
    });

    // Act
    const counts = await creditRecomputeStep.run({ ...context, awaitQueue });

    // Assess
    expect(awaitQueue).toHaveBeenCalledWith(QUEUE, expect.any(Function));
    expect(doneBefore).toBe(true);
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({ TableName: "unit-table", Key: { PK: "JOB#CREDIT_RECOMPUTE", SK: "RUN#nightly-1" }, ConsistentRead: true });
    expect(counts).toEqual({ changedUsers: 3, fullPass: 0, plannedUsers: 3, batches: 1, recomputed: 3, changed: 2, levelsChanged: 0, skipped: 1, batchesDone: 1, failedAttempts: 0 });
  });

  it("is not done while a batch of this pass has no marker", async () => {
    indexes(range(0, 3).map(marked), []);
    ddb.on(UpdateCommand).resolves({});
    ddb.on(GetCommand).resolves({ Item: { batchesDone: 7, done_other: 1 } }); // batches of another (dead) pass only
    sqs.on(SendMessageBatchCommand).resolves({});
    let done: boolean | undefined;
    await creditRecomputeStep.run({ ...context, awaitQueue: async (_url, isDone) => void (done = await isDone()) });
    expect(done).toBe(false);
  });
});

describe("recomputeBatch (the worker)", () => {
  const ASOF = "2026-11-20T00:00:00.000Z";
  const snapshot = (overrides: Partial<UserSnapshot> = {}): UserSnapshot => ({
    status: "ACTIVE",
    identityStatus: "NONE",
    creditScore: 600,
    creditTier: "FAIR",
    ...overrides,
  });
  const newcomer = computeCredit({ identityVerified: false, buckets: [], asOf: ASOF });
  const verified = computeCredit({ identityVerified: true, buckets: [], asOf: ASOF });
  const countersKey = (id: string) => ({ PK: `USER#${id}`, SK: "CREDIT" });
  const userKey = (id: string) => ({ PK: `USER#${id}`, SK: "PROFILE" });

  /** The table as the worker reads it: BatchGetItem answers whatever of `items` was asked for. */
  function table(items: Item[] = []) {
    ddb.on(BatchGetCommand).callsFake(async (input: { RequestItems: Record<string, { Keys: Item[] }> }) => {
      const keys = input.RequestItems["unit-table"]?.Keys ?? [];
      return { Responses: { "unit-table": items.filter((i) => keys.some((k) => k.PK === i.PK && k.SK === i.SK)) } };
    });
    ddb.on(UpdateCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});
  }
  const userUpdates = () =>
    ddb
      .commandCalls(UpdateCommand)
      .map((c) => c.args[0].input)
      .filter((u) => (u.Key as { SK: string }).SK === "PROFILE");
  const historyPuts = () =>
    ddb.commandCalls(BatchWriteCommand).flatMap((c) => (c.args[0].input.RequestItems?.["unit-table"] ?? []).map((r) => r.PutRequest?.Item));

  it("writes nothing for an unmarked user whose score did not change, reading only the counters, consistently", async () => {
    // Prepare
    table();

    // Act
    const outcome = await recomputeBatch({ asOf: ASOF, users: [{ userId: "u1", snapshot: snapshot() }] });

    // Assess
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems).toEqual({ "unit-table": { Keys: [countersKey("u1")], ConsistentRead: true } });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
    expect(outcome).toMatchObject({ recomputed: 1, changed: 0, skipped: 0, failedUserIds: [] });
    expect(outcome.results.get("u1")?.score).toBe(newcomer.score);
  });

  it("stores the score of a marked user and clears the marker in the same UpdateItem, only if the marker is still the one seen", async () => {
    // Prepare
    table();

    // Act
    await recomputeBatch({ asOf: ASOF, users: [{ userId: "u1", snapshot: snapshot({ markedBy: "evt-9" }) }] });

    // Assess
    expect(userUpdates()).toEqual([
      {
        TableName: "unit-table",
        Key: userKey("u1"),
        UpdateExpression: "SET creditScore = :score, creditTier = :tier, creditComputedAt = :at REMOVE GSI2PK, GSI2SK, creditDirtyBy",
        ConditionExpression: "attribute_exists(PK) AND creditDirtyBy = :seen",
        ExpressionAttributeValues: { ":score": newcomer.score, ":tier": newcomer.tier, ":at": ASOF, ":seen": "evt-9" },
      },
    ]);
    expect(historyPuts()).toEqual([
      {
        PK: "USER#u1",
        SK: `CREDIT_HISTORY#${ASOF}`,
        entity: "CREDIT_HISTORY",
        at: ASOF,
        score: newcomer.score,
        tier: newcomer.tier,
        factors: newcomer.factors,
        reasonCodes: newcomer.reasonCodes,
        ttl: Math.floor(NOW / 1000) + HISTORY_RETENTION_SECONDS,
      },
    ]);
  });

  it("keeps a marker set by an event meanwhile: when the condition fails, stores the score without clearing it", async () => {
    // Prepare
    table();
    ddb.on(UpdateCommand, { ConditionExpression: "attribute_exists(PK) AND creditDirtyBy = :seen" }).rejects(conditionFailed());

    // Act
    const outcome = await recomputeBatch({ asOf: ASOF, users: [{ userId: "u1", snapshot: snapshot({ markedBy: "evt-9" }) }] });

    // Assess
    expect(userUpdates().map((u) => [u.UpdateExpression, u.ConditionExpression, u.ExpressionAttributeValues?.[":seen"]])).toEqual([
      ["SET creditScore = :score, creditTier = :tier, creditComputedAt = :at REMOVE GSI2PK, GSI2SK, creditDirtyBy", "attribute_exists(PK) AND creditDirtyBy = :seen", "evt-9"],
      ["SET creditScore = :score, creditTier = :tier, creditComputedAt = :at", "attribute_exists(PK)", undefined],
    ]);
    expect(outcome).toMatchObject({ recomputed: 1, failedUserIds: [] });
    expect(historyPuts()).toHaveLength(1);
  });

  it("stores a changed score of an unmarked user without touching the marker, counting it as changed", async () => {
    table();
    const outcome = await recomputeBatch({ asOf: ASOF, users: [{ userId: "u1", snapshot: snapshot({ identityStatus: "APPROVED" }) }] });
    expect(userUpdates()).toEqual([
      {
        TableName: "unit-table",
        Key: userKey("u1"),
        UpdateExpression: "SET creditScore = :score, creditTier = :tier, creditComputedAt = :at",
        ConditionExpression: "attribute_exists(PK)",
        ExpressionAttributeValues: { ":score": verified.score, ":tier": verified.tier, ":at": ASOF },
      },
    ]);
    expect(verified.score).not.toBe(600);
    expect(outcome).toMatchObject({ recomputed: 1, changed: 1 });
  });

  it("scores from the counters it reads", async () => {
    // Prepare: twelve completed transactions this month.
    const counters = { ...countersKey("u1"), entity: "CREDIT_COUNTERS", [bucketAttribute("COMPLETED", "2026-11")]: 12 };
    table([counters]);
    const expected = computeCredit({ identityVerified: false, buckets: [{ metric: "COMPLETED", month: "2026-11", count: 12 }], asOf: ASOF });

    // Act
    const outcome = await recomputeBatch({ asOf: ASOF, users: [{ userId: "u1", snapshot: snapshot() }] });

    // Assess
    expect(expected.score).toBeGreaterThan(600);
    expect(outcome.results.get("u1")?.score).toBe(expected.score);
    expect(userUpdates()[0]?.ExpressionAttributeValues).toMatchObject({ ":score": expected.score, ":tier": expected.tier });
  });

  it("reads the user item where the planner gave no snapshot, and skips users that are gone or deleted", async () => {
    // Prepare
    table([userItem(1, { creditDirtyBy: "evt-1" }), userItem(2, { status: "DELETED" })]);

    // Act
    const outcome = await recomputeBatch({ asOf: ASOF, users: [{ userId: "u1" }, { userId: "u2" }, { userId: "u3" }] });

    // Assess
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.["unit-table"]?.Keys).toEqual(
      ["u1", "u2", "u3"].flatMap((id) => [userKey(id), countersKey(id)]),
    );
    expect(outcome).toMatchObject({ recomputed: 1, skipped: 2, failedUserIds: [] });
    expect(userUpdates().map((u) => u.ExpressionAttributeValues?.[":seen"])).toEqual(["evt-1"]);
  });

  it("rewrites an unchanged, unmarked user when forced (recompute now)", async () => {
    table();
    await recomputeBatch({ asOf: ASOF, users: [{ userId: "u1", snapshot: snapshot() }] }, { force: true });
    expect(userUpdates()).toHaveLength(1);
    expect(historyPuts()).toHaveLength(1);
  });

  it("writes every history item before any score, so a batch cut off leaves no rescored user without history", async () => {
    table();
    const order: string[] = [];
    ddb.on(BatchWriteCommand).callsFake(async () => (order.push("history"), {}));
    ddb.on(UpdateCommand).callsFake(async () => (order.push("score"), {}));
    await recomputeBatch({ asOf: ASOF, users: range(0, 40).map((n) => ({ userId: `u${n}`, snapshot: snapshot({ markedBy: `evt-${n}` }) })) });
    expect(order.lastIndexOf("history")).toBeLessThan(order.indexOf("score"));
    expect(order.filter((o) => o === "score")).toHaveLength(40);
  });

  it("counts a user whose score write fails in failedUserIds and goes on with the others", async () => {
    // Prepare
    table();
    ddb.on(UpdateCommand, { Key: userKey("u2") }).rejects(new Error("throttled"));

    // Act
    const outcome = await recomputeBatch({
      asOf: ASOF,
      users: ["u1", "u2", "u3"].map((userId) => ({ userId, snapshot: snapshot({ markedBy: `evt-${userId}` }) })),
    });

    // Assess: u2 keeps its marker (and its history item, rewritten under the same key on the retry).
    expect(outcome).toMatchObject({ recomputed: 2, failedUserIds: ["u2"] });
    expect(
      historyPuts()
        .map((i) => i?.PK)
        .sort(),
    ).toEqual(["USER#u1", "USER#u2", "USER#u3"]);
  });

  it("writes the history 25 items per BatchWriteItem", async () => {
    table();
    const users = range(0, 30).map((n) => ({ userId: `u${n}`, snapshot: snapshot({ markedBy: `evt-${n}` }) }));
    await recomputeBatch({ asOf: ASOF, users });
    const sizes = ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.["unit-table"]?.length);
    expect(sizes.sort()).toEqual([25, 5]);
    expect(new Set(historyPuts().map((i) => i?.PK)).size).toBe(30);
  });

  const batch = (extra: Partial<RecomputeBatch> = {}): RecomputeBatch => ({
    asOf: ASOF,
    users: [
      { userId: "u1", snapshot: snapshot({ identityStatus: "APPROVED" }) },
      { userId: "u3", snapshot: snapshot() },
      { userId: "u9" },
    ],
    ...extra,
  });
  const transactions = () => ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems ?? []);

  it("adds the batch's totals to its run once, with the batch's marker in the same transaction", async () => {
    // Prepare
    table([userItem(9, { status: "DELETED" })]);
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    await recomputeBatch(batch({ runId: "run-7", pass: "p1", batch: 4 }));

    // Assess
    const [items] = transactions();
    expect(items?.[0]?.Put).toMatchObject({
      Item: { PK: "JOB#CREDIT_RECOMPUTE#run-7", SK: "BATCH#p1#4", entity: "CREDIT_RECOMPUTE_BATCH", users: 3 },
      ConditionExpression: "attribute_not_exists(PK)",
    });
    expect(items?.[1]?.Update).toMatchObject({
      Key: { PK: "JOB#CREDIT_RECOMPUTE", SK: "RUN#run-7" },
      UpdateExpression: "SET lastBatchAt = :now ADD batchesDone :one, #passDone :one, recomputed :r, changed :c, levelsChanged :l, skipped :s",
      ExpressionAttributeNames: { "#passDone": "done_p1" },
      ExpressionAttributeValues: { ":one": 1, ":r": 2, ":c": 1, ":l": 0, ":s": 1 },
    });
  });

  it("does not count a redelivered batch again (its marker is there) and does not fail it", async () => {
    table();
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: "cancelled", $metadata: {}, CancellationReasons: [{ Code: "ConditionalCheckFailed" }, { Code: "None" }] }),
    );
    await expect(recomputeBatch(batch({ runId: "run-7", pass: "p1", batch: 4 }))).resolves.toMatchObject({ failedUserIds: [] });
  });

  it("records only the failures of a batch with a failed user (it is retried), and nothing without a run", async () => {
    table();
    ddb.on(UpdateCommand, { Key: userKey("u1") }).rejects(new Error("throttled"));
    await recomputeBatch(batch());
    expect(ddb.commandCalls(UpdateCommand).filter((c) => (c.args[0].input.Key as { PK: string }).PK.startsWith("JOB#"))).toHaveLength(0);
    await recomputeBatch(batch({ runId: "run-7", pass: "p1", batch: 4 }));
    expect(transactions()).toHaveLength(0);
    const failures = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input as UpdateCommandInput).filter((u) => (u.Key as { PK: string }).PK === "JOB#CREDIT_RECOMPUTE");
    expect(failures).toEqual([expect.objectContaining({ UpdateExpression: "SET lastBatchAt = :now ADD failedAttempts :f", ExpressionAttributeValues: { ":now": new Date(NOW).toISOString(), ":f": 1 } })]);
  });
});

describe("parseRecomputeBatch", () => {
  it("returns a well-formed message as it is", () => {
    const batch = { runId: "r", asOf: "2026-11-20T00:00:00.000Z", users: [{ userId: "u1" }] };
    expect(parseRecomputeBatch(JSON.stringify(batch))).toEqual(batch);
  });

  it.each(["", "not json", "null", "42", '"text"', "[]", "{}", '{"asOf":"2026-11-20"}', '{"users":[]}', '{"asOf":1,"users":[]}', '{"asOf":"2026-11-20","users":{}}', '{"asOf":"2026-11-20","users":[null]}', '{"asOf":"2026-11-20","users":[{"userId":7}]}'])(
    "refuses %j",
    (body) => {
      expect(() => parseRecomputeBatch(body)).toThrow();
    },
  );
});
