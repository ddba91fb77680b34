import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encryptField } from "#lib/crypto/fields";
import { approveGrant } from "#lib/rewards/approve-grant";
import { expireUser } from "#lib/rewards/expire";
import { grantRewards } from "#lib/rewards/grant";
import { fingerprint } from "#lib/rewards/idempotency";
import { redeem } from "#lib/rewards/redeem";

// The writes of redemption, grants, approval and expiry against a mocked table: what goes into
// the one transaction, and how each refusal DynamoDB can give is answered.

const ddb = mockClient(DynamoDBDocumentClient);
let emailEnc: string;
beforeAll(async () => {
  emailEnc = await encryptField("ada@example.com", "u1:email");
});
const userItem = (overrides: Record<string, unknown> = {}) => ({
  PK: "USER#u1", SK: "PROFILE", entity: "USER", userId: "u1", username: "ada", emailEnc, status: "ACTIVE", level: "ACTIVE",
  identityStatus: "NONE", creditScore: 600, creditTier: "FAIR", points: 50, createdAt: "x", updatedAt: "x", ...overrides,
});
const cancelled = (codes: string[], item?: Record<string, unknown>) =>
  new TransactionCanceledException({
    message: "cancelled",
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code, ...(Code === "ConditionalCheckFailed" && item ? { Item: marshall(item) } : {}) })),
  });
const transactItems = (call = 0) => ddb.commandCalls(TransactWriteCommand)[call]?.args[0].input.TransactItems ?? [];
const KEY = "key-0123456789";

beforeEach(() => {
  ddb.reset();
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(GetCommand).resolves({ Item: userItem() });
});
afterEach(() => ddb.reset());

describe("redeem", () => {
  const auth = (overrides = {}) => ({ user: userItem(overrides) as never });

  it("needs an Idempotency-Key, and refuses a frozen user with the restriction named, before writing", async () => {
    await expect(redeem(auth(), { points: 10 }, undefined)).rejects.toMatchObject({ status: 400, code: "IDEMPOTENCY_KEY_REQUIRED" });
    await expect(redeem(auth(), { points: 10 }, "short")).rejects.toMatchObject({ status: 400, code: "INVALID_IDEMPOTENCY_KEY" });
    ddb.on(GetCommand).resolves({});
    await expect(redeem(auth({ creditTier: "POOR" }), { points: 10 }, KEY)).rejects.toMatchObject({ status: 403, code: "REWARDS_FROZEN", extra: { restriction: "REWARDS_FROZEN" } });
    await expect(redeem(auth({ rewardFreezes: new Set(["inc-1"]) }), { points: 10 }, KEY)).rejects.toMatchObject({ status: 403, code: "REWARDS_FROZEN" });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it("puts the entry once and debits only what the balance holds, while not frozen, in one transaction", async () => {
    ddb.on(GetCommand).resolves({ Item: userItem({ points: 40 }) });
    await expect(redeem(auth(), { points: 10, itemId: "coffee" }, KEY)).resolves.toEqual({ balance: 40, replayed: false });
    const [entry, debit] = transactItems();
    expect(entry?.Put).toMatchObject({ ConditionExpression: "attribute_not_exists(PK)", Item: { SK: expect.stringMatching(/^REWARD#REDEEM#/), GSI1PK: "REWARD_LEDGER#u1", type: "REDEEM", points: -10, itemId: "coffee" } });
    expect(debit?.Update).toMatchObject({ UpdateExpression: "ADD points :delta", ExpressionAttributeValues: { ":delta": -10, ":debit": 10, ":poorTier": "POOR" } });
    expect(debit?.Update?.ConditionExpression).toContain("points >= :debit");
    expect(debit?.Update?.ConditionExpression).toContain("attribute_not_exists(rewardFreezes)");
  });

  it("answers 409 INSUFFICIENT_POINTS with the balance, and 403 when a freeze came meanwhile", async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(["None", "ConditionalCheckFailed"], userItem({ points: 5 })));
    await expect(redeem(auth(), { points: 10 }, KEY)).rejects.toMatchObject({ status: 409, code: "INSUFFICIENT_POINTS", extra: { balance: 5, requested: 10 } });
    ddb.on(TransactWriteCommand).rejects(cancelled(["None", "ConditionalCheckFailed"], userItem({ rewardFreezes: new Set(["inc-2"]) })));
    await expect(redeem(auth(), { points: 10 }, KEY)).rejects.toMatchObject({ status: 403, code: "REWARDS_FROZEN" });
  });

  it("replays a retry with the same key and body; refuses the key with another body (422)", async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(["ConditionalCheckFailed", "None"]));
    ddb.on(GetCommand, { Key: { PK: "USER#u1", SK: "PROFILE" } }).resolves({ Item: userItem({ points: 30 }) });
    ddb.on(GetCommand).callsFake((input) => (String(input.Key.SK).startsWith("REWARD#") ? { Item: { entity: "REWARD_ENTRY", requestHash: fingerprint({ points: 10, itemId: undefined }) } } : { Item: userItem({ points: 30 }) }));
    await expect(redeem(auth(), { points: 10 }, KEY)).resolves.toEqual({ balance: 30, replayed: true });
    await expect(redeem(auth(), { points: 20 }, KEY)).rejects.toMatchObject({ status: 422, code: "IDEMPOTENCY_KEY_REUSED" });
  });
});

describe("grants", () => {
  const staff = { userId: "staff1" };
  const withTarget = (user = userItem(), account?: Record<string, unknown>) =>
    ddb.on(BatchGetCommand).resolves({ Responses: { "unit-table": [user, ...(account ? [account] : [])] } });

  it("refuses a grant to oneself", async () => {
    ddb.on(GetCommand).resolves({});
    await expect(grantRewards({ userId: "u1" }, { userId: "u1", points: 10, reason: "Thanks for the help" }, KEY, "r1")).rejects.toMatchObject({ status: 403, code: "SELF_GRANT" });
  });

  it("pays a grant under the threshold at once: grant, entry, credit, account, audit, mail in one transaction", async () => {
    ddb.on(GetCommand).resolves({});
    withTarget();
    const { grant, replayed } = await grantRewards(staff, { userId: "u1", points: 50, reason: "Goodwill after a broken bike" }, KEY, "r1");
    expect(replayed).toBe(false);
    expect(grant).toMatchObject({ userId: "u1", points: 50, status: "GRANTED", requestedBy: "staff1" });
    expect(grant).not.toHaveProperty("requestHash");
    const items = transactItems();
    expect(items.map((i) => i.Put?.Item?.entity ?? (i.Update ? "UPDATE" : "?"))).toEqual(["REWARD_GRANT", "REWARD_ENTRY", "UPDATE", "REWARD_ACCOUNT", "AUDIT", "OUTBOX"]);
    expect(items[1]?.Put?.Item).toMatchObject({ SK: `REWARD#GRANT#${grant.grantId}`, type: "ADJUST", points: 50 });
    expect(items[3]?.Put).toMatchObject({ ConditionExpression: "attribute_not_exists(PK)", Item: { GSI2PK: expect.stringMatching(/^REWARD_EXPIRY#/), earned: expect.any(Object) } });
    expect(items[4]?.Put?.Item).toMatchObject({ action: "REWARD_GRANTED", actorId: "staff1", targetUserId: "u1", subject: grant.grantId });
    expect(items[5]?.Put?.Item).toMatchObject({ template: "REWARD_POINTS_GRANTED" });
  });

  it("holds a grant above the threshold for approval: only the grant and its audit entry", async () => {
    ddb.on(GetCommand).resolves({});
    withTarget();
    const { grant } = await grantRewards(staff, { userId: "u1", points: 5000, reason: "Campaign winner" }, KEY, "r1");
    expect(grant.status).toBe("PENDING_APPROVAL");
    expect(transactItems().map((i) => i.Put?.Item?.entity)).toEqual(["REWARD_GRANT", "AUDIT"]);
    expect(transactItems()[1]?.Put?.Item).toMatchObject({ action: "REWARD_GRANT_REQUESTED" });
  });

  it("derives the grant id from staff and key: a retry answers as the first did; another body is 422", async () => {
    ddb.on(GetCommand).resolves({});
    withTarget();
    const first = await grantRewards(staff, { userId: "u1", points: 50, reason: "Goodwill" }, KEY, "r1");
    const stored = { ...transactItems()[0]?.Put?.Item };
    ddb.on(GetCommand).resolves({ Item: stored });
    await expect(grantRewards(staff, { userId: "u1", points: 50, reason: "Goodwill" }, KEY, "r2")).resolves.toEqual({ grant: first.grant, replayed: true });
    await expect(grantRewards(staff, { userId: "u1", points: 60, reason: "Goodwill" }, KEY, "r3")).rejects.toMatchObject({ status: 422 });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it("takes points back only down to zero, frozen or not; refuses to add while frozen", async () => {
    ddb.on(GetCommand).resolves({});
    withTarget(userItem({ points: 20, creditTier: "POOR" }));
    ddb.on(TransactWriteCommand).rejects(cancelled(["None", "None", "ConditionalCheckFailed"], userItem({ points: 20 })));
    await expect(grantRewards(staff, { userId: "u1", points: -30, reason: "Fraudulent reviews" }, KEY, "r1")).rejects.toMatchObject({ status: 409, code: "INSUFFICIENT_POINTS" });
    await expect(grantRewards(staff, { userId: "u1", points: 30, reason: "Goodwill" }, "other-key-123", "r1")).rejects.toMatchObject({ status: 409, code: "REWARDS_FROZEN" });
  });
});

describe("approval (four eyes)", () => {
  const pending = { PK: "REWARD_GRANT#g1", SK: "REWARD_GRANT", entity: "REWARD_GRANT", grantId: "g1", userId: "u1", points: 800, reason: "Campaign", status: "PENDING_APPROVAL", requestedBy: "staff1", requestHash: "h", createdAt: "2026-11-20T00:00:00.000Z" };

  it("refuses the requester, the beneficiary and a decided grant", async () => {
    ddb.on(GetCommand).resolves({ Item: pending });
    await expect(approveGrant({ userId: "staff1" }, "g1", "r")).rejects.toMatchObject({ status: 403, code: "SELF_APPROVAL" });
    await expect(approveGrant({ userId: "u1" }, "g1", "r")).rejects.toMatchObject({ status: 403, code: "SELF_GRANT" });
    ddb.on(GetCommand).resolves({ Item: { ...pending, status: "GRANTED", approvedBy: "staff3" } });
    await expect(approveGrant({ userId: "staff2" }, "g1", "r")).rejects.toMatchObject({ status: 409, code: "ALREADY_DECIDED" });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it("pays out with the status change conditional on PENDING_APPROVAL", async () => {
    ddb.on(GetCommand).resolves({ Item: pending });
    ddb.on(BatchGetCommand).resolves({ Responses: { "unit-table": [userItem()] } });
    const { grant } = await approveGrant({ userId: "staff2" }, "g1", "r");
    expect(grant).toMatchObject({ status: "GRANTED", approvedBy: "staff2" });
    const [head, entry, credit, , audit] = transactItems();
    expect(head?.Update).toMatchObject({ ConditionExpression: "#status = :pending", ExpressionAttributeValues: { ":granted": "GRANTED", ":gsi1pk": expect.stringMatching(/^REWARD_GRANTS#GRANTED#/) } });
    expect(entry?.Put?.Item).toMatchObject({ SK: "REWARD#GRANT#g1", points: 800 });
    expect(credit?.Update?.ExpressionAttributeValues).toMatchObject({ ":delta": 800 });
    expect(audit?.Put?.Item).toMatchObject({ action: "REWARD_GRANT_APPROVED", actorId: "staff2", details: { requestedBy: "staff1", points: 800 } });
  });
});

describe("expiry of one user", () => {
  it("expires what the live months do not cover, keyed by asOf, with the balance it read as condition", async () => {
    const account = { PK: "USER#u1", SK: "REWARDS", entity: "REWARD_ACCOUNT", userId: "u1", version: 3, earned: { "2025-01": 40, "2025-09": 30 }, achievements: [], nextExpiryAt: "2026-02-01T00:00:00.000Z" };
    ddb.on(BatchGetCommand).resolves({ Responses: { "unit-table": [userItem({ points: 50 }), account] } });
    await expect(expireUser("u1", "2026-02-01T18:00:00.000Z")).resolves.toBe(20);
    const [accountPut, entry, debit, mail] = transactItems();
    expect(accountPut?.Put).toMatchObject({ ConditionExpression: "version = :seen", Item: { version: 4, earned: { "2025-09": 30 }, nextExpiryAt: "2026-10-01T00:00:00.000Z" } });
    expect(entry?.Put?.Item).toMatchObject({ SK: "REWARD#EXPIRE#2026-02-01T18:00:00.000Z", type: "EXPIRE", points: -20, at: "2026-02-01T18:00:00.000Z" });
    expect(debit?.Update).toMatchObject({ ExpressionAttributeValues: { ":delta": -20, ":seen": 50 } });
    expect(mail?.Put?.Item).toMatchObject({ template: "REWARD_POINTS_EXPIRED" });
  });
});
