import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { countChanges } from "#lib/analytics/apply";
import { contributions, deltaOf, merged, reportOf } from "#lib/analytics/counts";

// The analytics counters: what each change of a user or feedback item adds, that the deltas of
// any history of an item sum to what its final image contributes (so the counters equal the table
// whatever order and path the writes took), and that a redelivered stream record counts once.

const user = (overrides: Record<string, unknown> = {}) => ({
  entity: "USER", userId: "u1", status: "ACTIVE", level: "NEWBIE", creditTier: "FAIR", createdAt: "2026-11-20T10:00:00.000Z", ...overrides,
});

describe("what a change adds to the counters", () => {
  it("a verification: one user (level, tier, stage NEW) and one registration on the day the account was created", () => {
    expect(deltaOf(user({ status: "PENDING_VERIFICATION" }), user())).toEqual({
      counts: { users: 1, level_NEWBIE: 1, tier_FAIR: 1, lifecycle_NEW: 1 },
      days: { "2026-11-20": 1 },
    });
  });

  it("a registration, a sign-in or a score that keeps its tier: nothing", () => {
    expect(deltaOf(undefined, user({ status: "PENDING_VERIFICATION" }))).toEqual({ counts: {}, days: {} });
    expect(deltaOf(user(), user({ lastLoginAt: "x", creditScore: 612 }))).toEqual({ counts: {}, days: {} });
  });

  it("a level, tier or lifecycle change moves one count from the old value to the new", () => {
    expect(deltaOf(user(), user({ level: "ACTIVE", creditTier: "GOOD" })).counts).toEqual({ level_NEWBIE: -1, level_ACTIVE: 1, tier_FAIR: -1, tier_GOOD: 1 });
    const dormant = user({ lifecycle: { stage: "DORMANT", churnRisk: true } });
    expect(deltaOf(user({ lifecycle: { stage: "ACTIVE", churnRisk: false } }), dormant).counts).toEqual({ lifecycle_ACTIVE: -1, lifecycle_DORMANT: 1, churnRisk: 1 });
  });

  it("a suspension keeps the user counted; a deletion (status or item) takes them out, without unregistering", () => {
    expect(deltaOf(user(), user({ status: "SUSPENDED" }))).toEqual({ counts: {}, days: {} });
    expect(deltaOf(user(), user({ status: "DELETED" }))).toEqual({ counts: { users: -1, level_NEWBIE: -1, tier_FAIR: -1, lifecycle_NEW: -1 }, days: {} });
    expect(deltaOf(user(), undefined).counts.users).toBe(-1);
  });

  it("a staff account created verified is a user, not a registration", () => {
    expect(deltaOf(undefined, user({ level: "ADMIN" }))).toEqual({ counts: { users: 1, level_ADMIN: 1, tier_FAIR: 1, lifecycle_NEW: 1 }, days: {} });
  });

  it("feedback counts by its rating; without one, not at all", () => {
    expect(deltaOf(undefined, { entity: "FEEDBACK", rating: 4 }).counts).toEqual({ feedback_count: 1, feedback_sum: 4, feedback_r4: 1 });
    expect(deltaOf(undefined, { entity: "FEEDBACK" }).counts).toEqual({});
    expect(deltaOf(undefined, { entity: "OUTBOX", rating: 4 }).counts).toEqual({});
  });
});

describe("the counters equal the items, whatever their history", () => {
  const image = fc.option(
    fc.record({
      entity: fc.constantFrom("USER", "FEEDBACK"),
      status: fc.constantFrom("PENDING_VERIFICATION", "ACTIVE", "SUSPENDED", "DELETED"),
      level: fc.constantFrom("NEWBIE", "ACTIVE", "ADVANCED", "ADMIN"),
      creditTier: fc.constantFrom("EXCELLENT", "GOOD", "FAIR", "POOR"),
      lifecycle: fc.option(fc.record({ stage: fc.constantFrom("NEW", "ACTIVE", "DORMANT", "CHURNED"), churnRisk: fc.boolean() }), { nil: undefined }),
      rating: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    }),
    { nil: undefined },
  );

  it("the deltas of an item's successive images sum to what its last image contributes", () => {
    fc.assert(
      fc.property(fc.array(image, { minLength: 1, maxLength: 12 }), (history) => {
        const steps = history.map((next, i) => deltaOf(i === 0 ? undefined : history[i - 1], next));
        const sum = merged(steps).counts;
        const expected = contributions(history.at(-1));
        for (const name of new Set([...Object.keys(sum), ...Object.keys(expected)])) expect(sum[name] ?? 0).toBe(expected[name] ?? 0);
      }),
    );
  });
});

describe("the report", () => {
  it("sums by level, tier and stage, lists 30 days of registrations oldest first, and averages the ratings", () => {
    const report = reportOf(
      { users: 3, level_NEWBIE: 2, level_ADMIN: 1, tier_FAIR: 3, lifecycle_NEW: 1, lifecycle_ACTIVE: 2, churnRisk: 1, feedback_count: 3, feedback_sum: 10, feedback_r5: 1, feedback_r4: 1, feedback_r1: 1 },
      { "2026-11-20": 2, "2026-10-22": 1, "2026-10-21": 7 },
      new Date("2026-11-20T12:00:00Z"),
    );
    expect(report).toMatchObject({
      users: 3,
      byLevel: { NEWBIE: 2, ACTIVE: 0, ADVANCED: 0, ADMIN: 1 },
      byTier: { EXCELLENT: 0, GOOD: 0, FAIR: 3, POOR: 0 },
      byLifecycle: { NEW: 1, ACTIVE: 2, DORMANT: 0, CHURNED: 0 },
      churnRisk: 1,
      feedbackRatings: { counts: { 1: 1, 2: 0, 3: 0, 4: 1, 5: 1 }, total: 3, average: 3.33 },
    });
    expect(report.registrationsPerDay).toHaveLength(30);
    expect(report.registrationsPerDay[0]).toEqual({ date: "2026-10-22", count: 1 }); // the 21st is outside
    expect(report.registrationsPerDay.at(-1)).toEqual({ date: "2026-11-20", count: 2 });
    expect(reportOf({}, {}, new Date()).feedbackRatings.average).toBeNull();
  });
});

describe("counting stream records once", () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  beforeEach(() => ddb.reset());
  afterEach(() => ddb.reset());
  const verified = (recordId: string) => ({ recordId, oldImage: user({ status: "PENDING_VERIFICATION" }), newImage: user() });
  const markerExists = () => new TransactionCanceledException({ message: "cancelled", $metadata: {}, CancellationReasons: [{ Code: "ConditionalCheckFailed" }, { Code: "None" }, { Code: "None" }] });

  it("puts a marker per record and one ADD per counter item, in one transaction; changes that count nothing cost nothing", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const outcome = await countChanges([verified("r1"), verified("r2"), { recordId: "r3", oldImage: user(), newImage: user({ lastLoginAt: "now" }) }]);
    expect(outcome).toEqual({ counted: 2, skipped: 0, empty: 1 });
    const [call] = ddb.commandCalls(TransactWriteCommand);
    const items = call?.args[0].input.TransactItems ?? [];
    expect(items.slice(0, 2).map((i) => i.Put?.Item?.PK)).toEqual(["ANALYTICS_SEEN#r1", "ANALYTICS_SEEN#r2"]);
    expect(items[0]?.Put?.ConditionExpression).toBe("attribute_not_exists(PK)");
    const counters = items[2]?.Update;
    expect(counters?.Key?.SK).toBe("COUNTS");
    expect(Object.values(counters?.ExpressionAttributeValues ?? {})).toEqual(expect.arrayContaining([2]));
    expect(items[3]?.Update?.Key?.SK).toBe("DAILY#2026-11");
    expect(items[3]?.Update?.ExpressionAttributeNames).toEqual({ "#a0": "d20" });
  });

  it("a redelivered batch: the group is refused by its markers, then each record is tried alone and the counted ones skipped", async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(markerExists()).rejectsOnce(markerExists()).resolves({});
    expect(await countChanges([verified("r1"), verified("r2")])).toEqual({ counted: 1, skipped: 1, empty: 0 });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it("any other failure is thrown (the stream retries the batch; nothing of it was counted)", async () => {
    ddb.on(TransactWriteCommand).rejects(new Error("ProvisionedThroughputExceeded"));
    await expect(countChanges([verified("r1")])).rejects.toThrow("ProvisionedThroughputExceeded");
  });
});
