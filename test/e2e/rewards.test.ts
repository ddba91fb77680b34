import { randomUUID } from "node:crypto";
import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { behaviourEvent, send } from "#test/steps/behavior-events";
import { documents } from "#test/steps/documents";
import { eventually } from "#test/steps/eventually";
import { given } from "#test/steps/given";
import { expiryOf, monthOf } from "#lib/rewards/expiry";
import { rewards, setLevel } from "#test/steps/rewards";
import { table } from "#test/steps/table";
import { expectProblem, mailsMatching, mailsTo } from "#test/steps/then";
import { call, when } from "#test/steps/when";

// Rewards end to end: HTTP and the real behaviour-events queue on the local stack. Balances come
// from staff grants or earned events; every test has its own users, and the file ends with
// `npm run rewards:verify` over everything the stack holds.

type Staff = Awaited<ReturnType<typeof given.aSignedInStaffMember>>;
let admin: Staff;
let otherAdmin: Staff;
let thirdAdmin: Staff;
let support: Staff;
const token = (s: Staff) => s.tokens.accessToken;

beforeAll(async () => {
  [admin, otherAdmin, thirdAdmin, support] = await Promise.all([
    given.aSignedInStaffMember(["admin"]),
    given.aSignedInStaffMember(["admin"]),
    given.aSignedInStaffMember(["admin"]),
    given.aSignedInStaffMember(["support"]),
  ]);
});

/** A signed-in ACTIVE user (who may redeem) holding `points` from a staff grant. */
async function aUserWithPoints(points: number) {
  const { user, tokens } = await given.aSignedInUser();
  await setLevel(token(admin), user.userId, "ACTIVE");
  if (points > 0) expect((await rewards.grant(token(admin), { userId: user.userId, points, reason: "Welcome bonus" })).status).toBe(201);
  return { user, token: tokens.accessToken };
}
const balanceOf = async (accessToken: string) => (await when.getMe(accessToken)).body.points as number;
const auditActions = async (userId: string) =>
  ((await call("GET", `/admin/audit?userId=${userId}&limit=100`, { token: token(admin) })).body.items as { action: string; actorId: string }[]).map((e) => `${e.action} by ${e.actorId}`);

describe("redemption", () => {
  it("20 parallel redemptions of 10 on a balance of 50: exactly 5 succeed and the balance ends at 0", async () => {
    const { token: userToken } = await aUserWithPoints(50);
    expect(await balanceOf(userToken)).toBe(50);
    // Each request has its own key; one that lost only to concurrency (503) is retried with its key.
    const attempt = async (key: string) => {
      for (;;) {
        const res = await rewards.redeem(userToken, { points: 10 }, key);
        if (res.status !== 503) return res;
      }
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => attempt(randomUUID())));
    const created = results.filter((r) => r.status === 201);
    expect(created).toHaveLength(5);
    for (const refused of results.filter((r) => r.status !== 201)) expectProblem(refused, 409, "INSUFFICIENT_POINTS");
    expect(await balanceOf(userToken)).toBe(0);
    const view = await rewards.view(userToken);
    expect(view.balance).toBe(0);
    expect(view.ledger.filter((e) => e.type === "REDEEM").map((e) => e.points)).toEqual([-10, -10, -10, -10, -10]);
  });

  it("a retry with the same key redeems once and says so; another body with it is 422; no key is 400", async () => {
    const { token: userToken } = await aUserWithPoints(30);
    const key = randomUUID();
    const first = await rewards.redeem(userToken, { points: 10, itemId: "coffee-voucher" }, key);
    expect(first.status, first.text).toBe(201);
    expect(first.body).toEqual({ balance: 20 });
    const again = await rewards.redeem(userToken, { points: 10, itemId: "coffee-voucher" }, key);
    expect(again.status).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expectProblem(await rewards.redeem(userToken, { points: 20, itemId: "coffee-voucher" }, key), 422, "IDEMPOTENCY_KEY_REUSED");
    expectProblem(await rewards.redeem(userToken, { points: 10 }, null), 400, "IDEMPOTENCY_KEY_REQUIRED");
    expectProblem(await rewards.redeem(userToken, { points: 21 }), 409, "INSUFFICIENT_POINTS");
    expect(await balanceOf(userToken)).toBe(20);
  });
});

describe("staff grants", () => {
  it("the same key sent 10 times in parallel makes one grant, one entry, one mail; the key with another body is 422", async () => {
    const { user, token: userToken } = await aUserWithPoints(0);
    const key = randomUUID();
    const body = { userId: user.userId, points: 30, reason: "Sorry for the broken lock" };
    const results = await Promise.all(Array.from({ length: 10 }, () => rewards.grant(token(support), body, key)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.body.grantId)).size).toBe(1);
    expect(results[0]?.body).toMatchObject({ status: "GRANTED", points: 30, requestedBy: support.user.userId });
    expect(results.filter((r) => r.headers["idempotent-replayed"] === "true")).toHaveLength(9);
    expectProblem(await rewards.grant(token(support), { ...body, points: 31 }, key), 422, "IDEMPOTENCY_KEY_REUSED");

    const view = await rewards.view(userToken);
    expect(view.ledger.map((e) => [e.type, e.points, e.reason])).toEqual([["ADJUST", 30, "Sorry for the broken lock"]]);
    expect(view.balance).toBe(30);
    await mailsMatching(user.email, /30 points were added to your balance/);
    await new Promise((r) => setTimeout(r, 500)); // room for a (wrong) second mail
    expect((await mailsTo(user.email)).filter((m) => /points were added/.test(m.subject))).toHaveLength(1);
    expect((await auditActions(user.userId)).filter((a) => a.startsWith("REWARD_"))).toEqual([`REWARD_GRANTED by ${support.user.userId}`]);
  });

  it("above the threshold: pending until a different approver pays it; self-approval and a second approval refused", async () => {
    const { user, token: userToken } = await aUserWithPoints(0);
    const requested = await rewards.grant(token(admin), { userId: user.userId, points: 800, reason: "Campaign winner" });
    expect(requested.status, requested.text).toBe(201);
    expect(requested.body.status).toBe("PENDING_APPROVAL");
    const { grantId } = requested.body as { grantId: string };
    expect(await balanceOf(userToken)).toBe(0);
    expect(((await rewards.listGrants(token(otherAdmin))).body.items as { grantId: string }[]).map((g) => g.grantId)).toContain(grantId);

    expectProblem(await rewards.approve(token(admin), grantId), 403, "SELF_APPROVAL");
    expectProblem(await rewards.approve(token(support), grantId), 403, "FORBIDDEN"); // support may grant, not approve
    expectProblem(await rewards.approve(userToken, grantId), 403, "STAFF_ONLY");
    expect(await balanceOf(userToken)).toBe(0);

    const approved = await rewards.approve(token(otherAdmin), grantId);
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ grantId, status: "GRANTED", requestedBy: admin.user.userId, approvedBy: otherAdmin.user.userId });
    expectProblem(await rewards.approve(token(thirdAdmin), grantId), 409, "ALREADY_DECIDED");
    expect((await rewards.approve(token(otherAdmin), grantId)).status).toBe(200); // a retried approval
    expect(await balanceOf(userToken)).toBe(800);
    expect((await rewards.view(userToken)).ledger.map((e) => e.points)).toEqual([800]);
    expect((await auditActions(user.userId)).filter((a) => a.startsWith("REWARD_"))).toEqual([
      `REWARD_GRANT_APPROVED by ${otherAdmin.user.userId}`,
      `REWARD_GRANT_REQUESTED by ${admin.user.userId}`,
    ]);
    await mailsMatching(user.email, /800 points were added/);
  });

  it("takes points back down to zero at most, and refuses grants to oneself", async () => {
    const { user, token: userToken } = await aUserWithPoints(40);
    expectProblem(await rewards.grant(token(admin), { userId: user.userId, points: -41, reason: "Reviews were fake" }), 409, "INSUFFICIENT_POINTS");
    expect((await rewards.grant(token(admin), { userId: user.userId, points: -40, reason: "Reviews were fake" })).status).toBe(201);
    expect(await balanceOf(userToken)).toBe(0);
    expectProblem(await rewards.grant(token(admin), { userId: admin.user.userId, points: 10, reason: "For me" }), 403, "SELF_GRANT");
  });
});

describe("earning from behaviour events", () => {
  it("pays per event up to the daily cap (capped attempts recorded with 0 and the reason), achievements once, a duplicate once", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const events = Array.from({ length: 12 }, () => behaviourEvent(user.userId, "TRANSACTION_COMPLETED"));
    await Promise.all([...events, ...events.slice(0, 1)].map((e) => send(e))); // the first one twice
    const view = await rewards.paidFor(tokens.accessToken, events.map((e) => e.eventId));
    await new Promise((r) => setTimeout(r, 1000)); // room for a (wrong) second payment of the duplicate
    const after = await rewards.view(tokens.accessToken);
    const earned = after.ledger.filter((e) => e.entryId.startsWith("EVENT#"));
    expect(earned).toHaveLength(12);
    expect(earned.filter((e) => e.points === 10)).toHaveLength(10);
    expect(earned.filter((e) => e.points === 0).map((e) => [e.reason, e.requested])).toEqual([
      ["TRANSACTION_COMPLETED; DAILY_CAP", 10],
      ["TRANSACTION_COMPLETED; DAILY_CAP", 10],
    ]);
    expect(after.achievements.map((a) => [a.id, a.points]).sort()).toEqual([["FIRST_VERIFICATION", 50], ["TRANSACTIONS_10", 100]]);
    expect(after.balance).toBe(250);
    expect(await balanceOf(tokens.accessToken)).toBe(250);
    // Points expire by the month they were earned in, a year after it ended.
    expect(after.nextExpiry).toEqual({ at: expiryOf(monthOf(after.ledger[0]?.at ?? "")), points: 250 });
    expect(view.balance).toBeGreaterThan(0);
  });

  it("an event whose credit part was recorded before (its earning failed) is paid by the redelivery", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const event = behaviourEvent(user.userId, "REVIEW_GIVEN");
    const { client, name } = table();
    // As recordEvent leaves it: the event item exists, so the consumer sees a DUPLICATE.
    await client.send(new PutCommand({ TableName: name, Item: { PK: `USER#${user.userId}`, SK: `CREDIT_EVENT#${event.eventId}`, entity: "CREDIT_EVENT", eventId: event.eventId, userId: user.userId, eventType: event.type } }));
    await send(event);
    const view = await rewards.paidFor(tokens.accessToken, [event.eventId]);
    expect(view.ledger.find((e) => e.entryId === `EVENT#${event.eventId}`)?.points).toBe(5);
    expect(view.balance).toBe(5 + 20 + 50); // the review, FIRST_REVIEW_GIVEN, FIRST_VERIFICATION
  });

  it("grants the first approved document with the next event", { timeout: 120_000 }, async () => {
    const { user, tokens } = await given.aSignedInUser();
    const submitted = await documents.submitted(tokens.accessToken);
    expect(submitted.status, submitted.text).toBe(202);
    expect((await documents.decide(token(admin), submitted.submissionId, { decision: "APPROVE" })).status).toBe(200);
    const event = behaviourEvent(user.userId, "ACTIVE_DAY");
    await send(event);
    const view = await rewards.paidFor(tokens.accessToken, [event.eventId]);
    expect(view.achievements.map((a) => a.id).sort()).toEqual(["FIRST_APPROVED_DOCUMENT", "FIRST_VERIFICATION"]);
    expect(view.balance).toBe(2 + 100 + 50);
  });
});

describe("frozen rewards", () => {
  it("an incident's freeze: events pay 0 with the reason, no redemption (403 REWARDS_FROZEN), no grant; lifted, redemption works", async () => {
    const { user, token: userToken } = await aUserWithPoints(50);
    const { client, name } = table();
    const freeze = (expression: string, values?: Record<string, unknown>) =>
      client.send(new UpdateCommand({ TableName: name, Key: { PK: `USER#${user.userId}`, SK: "PROFILE" }, UpdateExpression: expression, ExpressionAttributeValues: values }));
    await freeze("SET rewardFreezes = :ids", { ":ids": new Set(["incident-e2e"]) }); // as the incidents feature does

    const event = behaviourEvent(user.userId, "TRANSACTION_COMPLETED");
    await send(event);
    const view = await rewards.paidFor(userToken, [event.eventId]);
    expect(view.frozen).toBe(true);
    expect(view.ledger.find((e) => e.entryId === `EVENT#${event.eventId}`)).toMatchObject({ points: 0, reason: "TRANSACTION_COMPLETED; REWARDS_FROZEN" });
    expect(view.achievements).toEqual([]);
    const refused = await rewards.redeem(userToken, { points: 10 });
    expectProblem(refused, 403, "REWARDS_FROZEN");
    expect(refused.body.restriction).toBe("REWARDS_FROZEN");
    expectProblem(await rewards.grant(token(admin), { userId: user.userId, points: 10, reason: "Goodwill" }), 409, "REWARDS_FROZEN");
    expect(await balanceOf(userToken)).toBe(50);

    await freeze("REMOVE rewardFreezes");
    expect((await rewards.redeem(userToken, { points: 10 })).status).toBe(201);
    expect(await balanceOf(userToken)).toBe(40);
  });

  it("POOR credit: the permission is withheld, and even with it granted the restriction is named; events pay 0", { timeout: 90_000 }, async () => {
    const { user, token: userToken } = await aUserWithPoints(50);
    const violations = Array.from({ length: 3 }, () => behaviourEvent(user.userId, "VIOLATION", { severity: "CRITICAL" }));
    await Promise.all(violations.map((e) => send(e)));
    await eventually(async () => (await call("GET", "/me/credit", { token: userToken })).body.counters.VIOLATION, (n) => n === 3, "violations counted");
    const recomputed = await call("POST", `/admin/users/${user.userId}/credit/recompute`, { token: token(admin) });
    expect(recomputed.body.tier, recomputed.text).toBe("POOR");
    expect((await when.getMe(userToken)).body.restrictions).toContain("REWARDS_FROZEN");
    expect((await rewards.redeem(userToken, { points: 10 })).status).toBe(403); // the gate: rewards:redeem withheld by tier:POOR

    const granted = await call("POST", `/admin/users/${user.userId}/permissions`, { token: token(admin), body: { grant: ["rewards:redeem"], reason: "Support escalation" } });
    expect(granted.status, granted.text).toBe(200);
    expectProblem(await rewards.redeem(userToken, { points: 10 }), 403, "REWARDS_FROZEN");
    const event = behaviourEvent(user.userId, "REVIEW_GIVEN");
    await send(event);
    const view = await rewards.paidFor(userToken, [event.eventId]);
    expect(view.ledger.find((e) => e.entryId === `EVENT#${event.eventId}`)?.points).toBe(0);
    expect(view.balance).toBe(50);
  });
});

describe("npm run rewards:verify", () => {
  it("is clean after all of the above: every balance equals the sum of its ledger", { timeout: 120_000 }, async () => {
    const summary = await rewards.verify();
    expect(summary.mismatches, JSON.stringify(summary.users)).toBe(0);
    expect(summary.accounts).toBeGreaterThanOrEqual(8);
  });
});
