import { randomUUID } from "node:crypto";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { nightly } from "#test/steps/commands";
import { behaviourEvent, inDlq, send } from "#test/steps/behavior-events";
import { eventually } from "#test/steps/eventually";
import { given } from "#test/steps/given";
import { table } from "#test/steps/table";
import { expectProblem } from "#test/steps/then";
import { call } from "#test/steps/when";

// Behaviour events through the real local SQS (serverless-offline-sqs runs the consumer), and the
// score via HTTP after an admin recompute and after `npm run nightly`. The consumer's partial batch
// handling is in test/integration/behavior-events-handler.test.ts.

const credit = async (token: string) => {
  const res = await call("GET", "/me/credit", { token });
  expect(res.status, res.text).toBe(200);
  return res.body as {
    score: number;
    tier: string;
    factors: { name: string; score: number; weight: number }[];
    reasons: string[];
    entitlements: string[];
    restrictions: string[];
    history: { at: string; score: number; tier: string }[];
    counters: Record<string, number>;
  };
};

describe("credit", () => {
  let staffToken: string;
  beforeAll(async () => {
    staffToken = (await given.aSignedInStaffMember(["admin"])).tokens.accessToken;
  });

  it("a new user has 600 FAIR with factors, reasons and no history; GET /me shows it with the tier's effects", async () => {
    const { tokens } = await given.aSignedInUser();
    const view = await credit(tokens.accessToken);
    expect(view).toMatchObject({ score: 600, tier: "FAIR", entitlements: [], restrictions: [], history: [] });
    expect(view.factors.map((f) => f.name)).toEqual(["identity", "fulfilment", "behaviour", "contribution", "activity"]);
    expect(view.reasons.length).toBeGreaterThan(0);
    const me = await call("GET", "/me", { token: tokens.accessToken });
    expect(me.body).toMatchObject({ credit: { score: 600, tier: "FAIR" }, entitlements: [], restrictions: [] });
  });

  it("events through SQS update the counters once per eventId; an admin recompute raises the score and adds history", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const twice = behaviourEvent(user.userId, "TRANSACTION_COMPLETED");
    for (const e of [twice, twice, behaviourEvent(user.userId, "TRANSACTION_COMPLETED"), behaviourEvent(user.userId, "REVIEW_GIVEN"), behaviourEvent(user.userId, "ACTIVE_DAY")]) await send(e);
    const view = await eventually(() => credit(tokens.accessToken), (v) => v.counters.ACTIVE_DAY === 1 && v.counters.REVIEW_GIVEN === 1 && (v.counters.TRANSACTION_COMPLETED ?? 0) >= 2, "counters");
    await new Promise((r) => setTimeout(r, 500)); // room for a (wrong) second count of the duplicate
    expect((await credit(tokens.accessToken)).counters.TRANSACTION_COMPLETED).toBe(2);
    expect(view.score).toBe(600); // stored scores change only when recomputed

    const res = await call("POST", `/admin/users/${user.userId}/credit/recompute`, { token: staffToken });
    expect(res.status, res.text).toBe(200);
    expect(res.body.score).toBeGreaterThan(600);
    const after = await credit(tokens.accessToken);
    expect(after.score).toBe(res.body.score);
    expect(after.history).toEqual([{ at: expect.any(String), score: res.body.score, tier: res.body.tier }]);
    expect((await call("GET", "/me", { token: tokens.accessToken })).body.credit).toEqual({ score: res.body.score, tier: res.body.tier });
  });

  it("npm run nightly recomputes only changed users: a violation lowers the score and adds history", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const bystander = await given.aSignedInUser();
    await send(behaviourEvent(user.userId, "VIOLATION", { severity: "HIGH" }));
    await eventually(() => credit(tokens.accessToken), (v) => v.counters.VIOLATION === 1, "the violation counted");

    const run = await nightly();
    const step = run.steps.find((s) => s.name === "credit-recompute");
    expect(step?.status).toBe("OK");
    expect(step?.counts.changedUsers).toBeGreaterThanOrEqual(1);
    expect(step?.counts.recomputed).toBeGreaterThanOrEqual(1);

    const after = await credit(tokens.accessToken);
    expect(after.score).toBeLessThan(600);
    expect(after.history).toHaveLength(1);
    expect(after.reasons).toContain("Recent rule violations or upheld complaints against you.");
    // No event, no recompute: the bystander keeps the registration default and no history.
    expect((await credit(bystander.tokens.accessToken)).history).toEqual([]);
    // The marker is gone, so the next night skips this user.
    const { client, name } = table();
    const counters = await client.send(new GetCommand({ TableName: name, Key: { PK: `USER#${user.userId}`, SK: "CREDIT" } }));
    expect(counters.Item?.version).toBe(1);
    const profile = await client.send(new GetCommand({ TableName: name, Key: { PK: `USER#${user.userId}`, SK: "PROFILE" }, ConsistentRead: true }));
    expect(profile.Item?.GSI2PK).toBeUndefined();
    expect(profile.Item?.creditDirtyBy).toBeUndefined();
  });

  it("a malformed event sent through SQS reaches the DLQ with the reason", async () => {
    const marker = randomUUID();
    await send({ eventId: marker, userId: "someone", type: "FREE_MONEY", occurredAt: new Date().toISOString(), attributes: {} });
    const dead = await inDlq(marker);
    expect(dead?.MessageAttributes?.rejectedReason?.StringValue).toMatch(/type/);
  });

  it("staff only: a user gets 403, an unknown user 404", async () => {
    const { user, tokens } = await given.aSignedInUser();
    expectProblem(await call("POST", `/admin/users/${user.userId}/credit/recompute`, { token: tokens.accessToken }), 403, "STAFF_ONLY");
    expectProblem(await call("POST", `/admin/users/${randomUUID()}/credit/recompute`, { token: staffToken }), 404, "NOT_FOUND");
    expectProblem(await call("GET", "/me/credit"), 401, "UNAUTHORIZED");
  });
});
