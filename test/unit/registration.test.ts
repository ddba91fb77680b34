import { createHmac } from "node:crypto";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, DynamoDBDocumentClient, TransactWriteCommand, type TransactWriteCommandInput, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resetConfigForTests } from "#lib/config";
import { register } from "#lib/identity/registration";
import { conditionFailed, freezeClock, NOW, noBackoffJitter } from "#test/unit/support/aws";
import { cognitoError, mockAwsFetch } from "#test/unit/support/fetch";

const ddb = mockClient(DynamoDBDocumentClient);
let aws: ReturnType<typeof mockAwsFetch>;

const client = { ip: "203.0.113.7" };
const input = (overrides: Record<string, unknown> = {}) => ({
  username: "alice",
  email: "Alice@Example.com",
  password: "Tr4il-9f8e7d-Kite",
  consent: { privacyPolicyVersion: "2026-11" },
  ...overrides,
});

/** A keyed hash as the modules compute it (HMAC-SHA256 under the data key), computed here independently. */
const keyed = (kind: string, value: string) => {
  const { hmac } = JSON.parse(process.env.LOCAL_KEYS ?? "{}") as { hmac: string };
  return createHmac("sha256", Buffer.from(hmac, "base64")).update(`${kind}\u0000${value}`).digest("base64url");
};
const guard = (kind: "USERNAME" | "EMAIL" | "PHONE", value: string) => ({ PK: `UNIQUE#${kind}#${keyed(kind, value)}`, SK: "UNIQUE" });
const PHONE = "+8613812345678";
const TTL_24H = Math.floor(NOW / 1000) + 24 * 3600;

/** An account waiting for verification, registered `age` ms ago. */
const pending = (userId: string, age: number, overrides: Record<string, unknown> = {}) => ({
  PK: `USER#${userId}`,
  SK: "PROFILE",
  entity: "USER",
  userId,
  username: "alicia",
  emailHash: keyed("EMAIL", "alice@example.com"),
  phoneHash: keyed("PHONE", "+8613899990000"),
  status: "PENDING_VERIFICATION",
  createdAt: new Date(NOW - age).toISOString(),
  consent: { privacyPolicyVersion: "2026-11", at: new Date(NOW - age).toISOString(), channel: "API" },
  ...overrides,
});
const consentOf = (userId: string, age: number) => `Delete USER#${userId}|CONSENT#${new Date(NOW - age).toISOString()}`;
/** A cancelled claim: `held` maps the index of each refused item to the user holding it (ALL_OLD; "" for an item that comes back empty). */
const refused = (held: Record<number, string | undefined>, count = 5) =>
  new TransactionCanceledException({
    message: "Transaction cancelled",
    $metadata: {},
    CancellationReasons: Array.from({ length: count }, (_, i) =>
      held[i] === undefined ? { Code: "None" } : { Code: "ConditionalCheckFailed", ...(held[i] ? { Item: marshall({ entity: "GUARD", userId: held[i] }) } : {}) },
    ),
  });
const holders = (...items: Record<string, unknown>[]) => ddb.on(BatchGetCommand).resolves({ Responses: { "unit-table": items } });
const transactions = () => ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems ?? []);
type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];
const keyOf = (item: TransactItem) => {
  const key = (item.Put?.Item ?? item.Delete?.Key ?? item.Update?.Key ?? item.ConditionCheck?.Key) as { PK: string; SK: string };
  return `${Object.keys(item)[0]} ${key.PK}|${key.SK}`;
};
/** Every DynamoDB call in order, by command. */
const trail = () => ddb.calls().map((c) => c.args[0].constructor.name);

describe("register (domain, AWS mocked)", () => {
  beforeEach(() => {
    ddb.reset();
    freezeClock();
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 1, windowStart: NOW } }); // the per-IP limit
    ddb.on(TransactWriteCommand).resolves({});
    aws = mockAwsFetch({ SignUp: { body: { UserConfirmed: false, UserSub: "sub" } }, AdminDeleteUser: { body: {} } });
  });
  afterEach(() => {
    aws.restore();
    vi.useRealTimers();
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    resetConfigForTests();
  });

  it("claims user, guards, code and the code's message in one transaction with no plaintext PII", async () => {
    // Act
    const result = await register(input(), client);

    // Assess
    expect(result).toEqual({ userId: expect.any(String), status: "PENDING_VERIFICATION", verification: { channel: "EMAIL", destination: "a***@example.com" } });
    const [items = []] = transactions();
    expect(items.map((i) => i.Put?.Item?.entity)).toEqual(["USER", "GUARD", "GUARD", "CODE", "CONSENT", "OUTBOX"]);
    expect(items.map(keyOf)).toEqual([
      `Put USER#${result.userId}|PROFILE`,
      `Put ${guard("USERNAME", "alice").PK}|UNIQUE`,
      `Put ${guard("EMAIL", "alice@example.com").PK}|UNIQUE`,
      `Put USER#${result.userId}|CODE#VERIFY`,
      `Put USER#${result.userId}|CONSENT#${String(items[4]?.Put?.Item?.at)}`,
      `Put USER#${result.userId}|OUTBOX#${String(items[5]?.Put?.Item?.messageId)}`,
    ]);
    expect(items[4]?.Put?.Item).toMatchObject({ privacyPolicyVersion: "2026-11", channel: "API", ttl: TTL_24H }); // a pending account's consent goes with it
    expect(JSON.stringify(items)).not.toMatch(/alice@example\.com/i);
    const outbox = items[5]?.Put?.Item;
    expect(outbox).toMatchObject({ template: "VERIFICATION_CODE", channel: "EMAIL", status: "PENDING", userId: result.userId });
    expect(outbox?.notAfter).toBeGreaterThan(Date.now());
    expect(JSON.stringify(outbox)).not.toMatch(/\b\d{6}\b/); // the code is only inside the encrypted payload
    expect(aws.calls("SignUp")[0]?.json()).toMatchObject({ Username: result.userId, Password: input().password });
  });

  it("lets the pending account and its guards expire in 24 h, and returns the old holder of a refused guard", async () => {
    // Act
    const { userId } = await register(input(), client);

    // Assess
    const [[user, username, email, code] = []] = transactions();
    expect(user?.Put).toMatchObject({ Item: { userId, status: "PENDING_VERIFICATION", ttl: TTL_24H }, ConditionExpression: "attribute_not_exists(PK)" });
    for (const g of [username, email]) {
      expect(g?.Put).toEqual({
        TableName: "unit-table",
        Item: { PK: expect.stringMatching(/^UNIQUE#/), SK: "UNIQUE", entity: "GUARD", userId, ttl: TTL_24H },
        ConditionExpression: "attribute_not_exists(PK)",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      });
    }
    expect(code?.Put?.Item?.ttl).toBe(Math.floor(NOW / 1000) + 600 + 3600); // the code keeps its own expiry
  });

  it("counts the registration against the client IP's limit before claiming anything", async () => {
    await register(input(), client);
    expect(trail()).toEqual(["UpdateCommand", "TransactWriteCommand"]);
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      Key: { PK: `LIMIT#REGISTER#${keyed("IP", "203.0.113.7")}`, SK: "LIMIT" },
      UpdateExpression: "SET entity = :entity, #ttl = :ttl, windowStart = if_not_exists(windowStart, :now) ADD attempts :one",
      ExpressionAttributeValues: { ":max": 5 },
    });
  });

  it("answers 429 RATE_LIMITED when the IP registered too often, claiming nothing and creating no credentials", async () => {
    // Prepare: five registrations in the window that began a minute ago.
    ddb.on(UpdateCommand).rejects(conditionFailed(marshall({ attempts: 5, windowStart: NOW - 60_000 })));

    // Act / Assess
    await expect(register(input(), client)).rejects.toMatchObject({ status: 429, code: "RATE_LIMITED", headers: { "retry-after": "540" } });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(aws.seen).toHaveLength(0);
  });

  it("sends nothing itself: no mail or SMS provider is called on the request path", async () => {
    await register(input(), client);
    expect(aws.seen.map((r) => r.action)).toEqual(["SignUp"]);
  });

  it("takes an existing Cognito user of its own fresh id as the earlier try of this registration", async () => {
    aws.restore();
    aws = mockAwsFetch({ SignUp: cognitoError("UsernameExistsException") });
    await expect(register(input(), client)).resolves.toMatchObject({ status: "PENDING_VERIFICATION" });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it("releases the claim, the code and its message and answers 503 when Cognito fails", async () => {
    // Prepare
    noBackoffJitter();
    aws.restore();
    aws = mockAwsFetch({ SignUp: cognitoError("InternalErrorException", 500) });

    // Act
    await expect(register(input(), client)).rejects.toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE" });

    // Assess
    const [claimed = [], released = []] = transactions();
    expect(transactions()).toHaveLength(2);
    expect(released.map((i) => keyOf(i).replace(/^Delete /, "")).sort()).toEqual(claimed.map((i) => keyOf(i).replace(/^Put /, "")).sort());
    const userId = String(claimed[0]?.Put?.Item?.userId);
    for (const g of released.filter((i) => String(i.Delete?.Key?.PK).startsWith("UNIQUE#"))) {
      expect(g.Delete).toMatchObject({ ConditionExpression: "userId = :u", ExpressionAttributeValues: { ":u": userId } }); // only its own guards
    }
  });

  it("refuses an outdated consent version before touching anything", async () => {
    await expect(register(input({ consent: { privacyPolicyVersion: "2025-01" } }), client)).rejects.toMatchObject({ status: 400, code: "CONSENT_OUTDATED" });
    expect(ddb.calls()).toHaveLength(0);
    expect(aws.seen).toHaveLength(0);
  });

  it("refuses a password against the policy before counting against the IP's limit", async () => {
    await expect(register(input({ password: "alice-in-wonderland-1" }), client)).rejects.toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
    expect(ddb.calls()).toHaveLength(0);
  });

  it("passes failures of the claim other than a cancellation through, creating no credentials", async () => {
    ddb.on(TransactWriteCommand).rejects(new Error("table gone"));
    await expect(register(input(), client)).rejects.toThrow("table gone");
    expect(aws.seen).toHaveLength(0);
  });
});

describe("register over an account that was never verified", () => {
  const usernameGuard = guard("USERNAME", "alice");

  beforeEach(() => {
    ddb.reset();
    freezeClock();
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 1, windowStart: NOW } });
    aws = mockAwsFetch({ SignUp: { body: { UserConfirmed: false, UserSub: "sub" } }, AdminDeleteUser: { body: {} } });
  });
  afterEach(() => {
    aws.restore();
    vi.useRealTimers();
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    resetConfigForTests();
  });

  it("replaces a pending account older than 60 s that holds the e-mail: deletes it (if still pending), its code and the guards it keeps, in the claiming transaction", async () => {
    // Prepare: the e-mail's guard (item 2) is held by old1, registered 61 s ago.
    ddb.on(TransactWriteCommand).rejectsOnce(refused({ 2: "old1" })).resolves({});
    holders(pending("old1", 61_000));

    // Act
    const { userId } = await register(input(), client);

    // Assess
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems).toEqual({ "unit-table": { Keys: [{ PK: "USER#old1", SK: "PROFILE" }], ConsistentRead: true } });
    const [first = [], second = []] = transactions();
    expect(transactions()).toHaveLength(2);
    expect(second.slice(0, 6).map((i) => i.Put?.Item)).toEqual(first.map((i) => i.Put?.Item)); // the same account, code, consent and message
    for (const g of second.slice(1, 3)) {
      expect(g.Put).toMatchObject({ ConditionExpression: "attribute_not_exists(PK) OR userId = :r0", ExpressionAttributeValues: { ":r0": "old1" } });
    }
    expect(second.slice(6)).toEqual([
      {
        Delete: {
          TableName: "unit-table",
          Key: { PK: "USER#old1", SK: "PROFILE" },
          ConditionExpression: "#status = :pending",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":pending": "PENDING_VERIFICATION" },
        },
      },
      { Delete: { TableName: "unit-table", Key: { PK: "USER#old1", SK: "CODE#VERIFY" } } },
      { Delete: { TableName: "unit-table", Key: { PK: "USER#old1", SK: `CONSENT#${new Date(NOW - 61_000).toISOString()}` } } },
      { Delete: { TableName: "unit-table", Key: guard("USERNAME", "alicia"), ConditionExpression: "userId = :u", ExpressionAttributeValues: { ":u": "old1" } } },
      { Delete: { TableName: "unit-table", Key: guard("PHONE", "+8613899990000"), ConditionExpression: "userId = :u", ExpressionAttributeValues: { ":u": "old1" } } },
    ]); // the e-mail's guard is taken over, not deleted
    expect(aws.seen.map((r) => r.action)).toEqual(["AdminDeleteUser", "SignUp"]);
    expect(aws.calls("AdminDeleteUser")[0]?.json()).toEqual({ UserPoolId: "local_unit", Username: "old1" });
    expect(aws.calls("SignUp")[0]?.json()).toMatchObject({ Username: userId });
  });

  it("takes the username over too when the same pending account holds it", async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejectsOnce(refused({ 1: "old1", 2: "old1" })).resolves({});
    holders(pending("old1", 3_600_000, { username: "Alice", phoneHash: undefined }));

    // Act
    await register(input(), client);

    // Assess
    const [, second = []] = transactions();
    expect(second.slice(6).map(keyOf)).toEqual(["Delete USER#old1|PROFILE", "Delete USER#old1|CODE#VERIFY", consentOf("old1", 3_600_000)]);
    expect(second.map(keyOf)).toContain(`Put ${usernameGuard.PK}|UNIQUE`);
  });

  it("replaces the pending holders of the e-mail and of the phone together, when they are two accounts", async () => {
    // Prepare: guards are [username, e-mail, phone]; old1 holds the e-mail, old2 the phone.
    ddb.on(TransactWriteCommand).rejectsOnce(refused({ 2: "old1", 3: "old2" }, 6)).resolves({});
    holders(pending("old1", 61_000, { phoneHash: undefined }), pending("old2", 120_000, { username: "al", emailHash: undefined, phoneHash: keyed("PHONE", PHONE) }));

    // Act
    await register(input({ phone: PHONE }), client);

    // Assess
    const [, second = []] = transactions();
    expect(second[3]?.Put).toMatchObject({ Item: { PK: guard("PHONE", PHONE).PK }, ConditionExpression: "attribute_not_exists(PK) OR userId = :r0 OR userId = :r1", ExpressionAttributeValues: { ":r0": "old1", ":r1": "old2" } });
    expect(second.slice(7).map(keyOf)).toEqual([
      "Delete USER#old1|PROFILE",
      "Delete USER#old1|CODE#VERIFY",
      consentOf("old1", 61_000),
      `Delete ${guard("USERNAME", "alicia").PK}|UNIQUE`,
      "Delete USER#old2|PROFILE",
      "Delete USER#old2|CODE#VERIFY",
      consentOf("old2", 120_000),
      `Delete ${guard("USERNAME", "al").PK}|UNIQUE`,
    ]);
    expect(aws.calls("AdminDeleteUser").map((r) => r.json().Username)).toEqual(["old1", "old2"]);
  });

  it("replaces a pending account exactly 60 s old", async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(refused({ 2: "old1" })).resolves({});
    holders(pending("old1", 60_000));
    await expect(register(input(), client)).resolves.toMatchObject({ status: "PENDING_VERIFICATION" });
    expect(transactions()).toHaveLength(2);
  });

  it("answers 409 ACCOUNT_EXISTS, saying to verify or wait a minute, while the pending account is younger than 60 s", async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(refused({ 2: "old1" }));
    holders(pending("old1", 59_999));

    // Act / Assess
    await expect(register(input(), client)).rejects.toMatchObject({ status: 409, code: "ACCOUNT_EXISTS", detail: expect.stringContaining("waiting for verification") });
    expect(transactions()).toHaveLength(1);
    expect(aws.seen).toHaveLength(0);
  });

  it("takes the wait before a pending account gives way from PENDING_REPLACE_AFTER_SECONDS", async () => {
    vi.stubEnv("PENDING_REPLACE_AFTER_SECONDS", "300");
    resetConfigForTests();
    ddb.on(TransactWriteCommand).rejects(refused({ 2: "old1" }));
    holders(pending("old1", 299_000));
    await expect(register(input(), client)).rejects.toMatchObject({ status: 409, code: "ACCOUNT_EXISTS" });
    expect(transactions()).toHaveLength(1);
  });

  it.each([
    { when: "an active account holds the e-mail", held: { 2: "old1" }, accounts: [pending("old1", 86_400_000, { status: "ACTIVE" })] },
    { when: "a suspended account holds the e-mail", held: { 2: "old1" }, accounts: [pending("old1", 86_400_000, { status: "SUSPENDED" })] },
    {
      when: "the e-mail's pending holder is old enough but the phone's holder is active",
      held: { 2: "old1", 3: "old2" },
      accounts: [pending("old1", 120_000), pending("old2", 120_000, { status: "ACTIVE" })],
      phone: PHONE,
    },
    {
      when: "the e-mail's pending holder is old enough but the phone's is younger than 60 s",
      held: { 2: "old1", 3: "old2" },
      accounts: [pending("old1", 120_000), pending("old2", 30_000)],
      phone: PHONE,
    },
    { when: "only the username is held, by a pending account", held: { 1: "old1" }, accounts: [pending("old1", 120_000)] },
    { when: "the username is held by another account than the e-mail's pending holder", held: { 1: "old2", 2: "old1" }, accounts: [pending("old1", 120_000), pending("old2", 120_000)] },
  ])("answers 409 ACCOUNT_EXISTS and replaces nothing when $when", async ({ held, accounts, phone }) => {
    // Prepare: with a phone, the claim has a third guard (six items).
    ddb.on(TransactWriteCommand).rejects(refused(held, phone ? 6 : 5));
    holders(...accounts);

    // Act
    const registration = register(input(phone ? { phone } : {}), client);

    // Assess
    await expect(registration).rejects.toMatchObject({ status: 409, code: "ACCOUNT_EXISTS" });
    expect(transactions()).toHaveLength(1);
    expect(aws.seen).toHaveLength(0);
  });

  it("answers 409 ACCOUNT_EXISTS when only the username is held, by a verified account", async () => {
    ddb.on(TransactWriteCommand).rejects(refused({ 1: "old1" }));
    holders(pending("old1", 86_400_000, { status: "ACTIVE" }));
    await expect(register(input(), client)).rejects.toMatchObject({ status: 409, code: "ACCOUNT_EXISTS" });
    expect(transactions()).toHaveLength(1);
  });

  it.each([
    { when: "the e-mail's guard", held: { 2: "gone" } },
    { when: "the username's guard", held: { 1: "gone" } },
    { when: "both guards", held: { 1: "gone", 2: "gone" } },
  ])("takes over $when when the account on it no longer exists (TTL removes accounts and guards apart)", async ({ held }) => {
    // Prepare: the holder's user item is gone (no Responses for it).
    ddb.on(TransactWriteCommand).rejectsOnce(refused(held)).resolves({});
    holders();

    // Act
    await expect(register(input(), client)).resolves.toMatchObject({ status: "PENDING_VERIFICATION" });

    // Assess: the guards are claimed over the orphan's id; nothing of it is deleted (nothing is left).
    const [, second = []] = transactions();
    expect(second[1]?.Put).toMatchObject({ ConditionExpression: "attribute_not_exists(PK) OR userId = :r0", ExpressionAttributeValues: { ":r0": "gone" } });
    expect(second.map(keyOf).filter((k) => k.includes("gone"))).toEqual([]);
    expect(aws.calls("AdminDeleteUser")).toHaveLength(0);
  });

  it("answers 409 ACCOUNT_EXISTS when the new user item itself is refused, whoever holds the e-mail", async () => {
    ddb.on(TransactWriteCommand).rejects(refused({ 0: "", 2: "old1" }));
    holders(pending("old1", 120_000));
    await expect(register(input(), client)).rejects.toMatchObject({ status: 409, code: "ACCOUNT_EXISTS" });
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it("answers 409 ACCOUNT_EXISTS when the claim keeps conflicting with a concurrent one, without a second claim", async () => {
    // Prepare: every try is cancelled by a conflict on the e-mail's guard, none by a condition.
    noBackoffJitter();
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: "Transaction cancelled",
        $metadata: {},
        CancellationReasons: [{ Code: "None" }, { Code: "None" }, { Code: "TransactionConflict" }, { Code: "None" }, { Code: "None" }],
      }),
    );

    // Act / Assess
    await expect(register(input(), client)).rejects.toMatchObject({ status: 409, code: "ACCOUNT_EXISTS" });
    expect(transactions()).toHaveLength(4); // transactWrite's own tries
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
    expect(aws.seen).toHaveLength(0);
  });

  it("answers 409 ACCOUNT_EXISTS, deleting no credentials, when the replacement is refused too (verified meanwhile, or another registration won)", async () => {
    // Prepare: the second transaction is refused at the deletion of old1 (item 5), which is no longer pending.
    ddb.on(TransactWriteCommand).rejectsOnce(refused({ 2: "old1" })).rejects(refused({ 5: "" }, 9));
    holders(pending("old1", 61_000));

    // Act / Assess
    await expect(register(input(), client)).rejects.toMatchObject({ status: 409, code: "ACCOUNT_EXISTS" });
    expect(transactions()).toHaveLength(2);
    expect(aws.seen).toHaveLength(0);
  });

  it("completes the registration although Cognito fails to delete the replaced account's credentials", async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(refused({ 2: "old1" })).resolves({});
    holders(pending("old1", 61_000));
    aws.restore();
    aws = mockAwsFetch({ SignUp: { body: { UserConfirmed: false } }, AdminDeleteUser: cognitoError("UserNotFoundException") });
    await expect(register(input(), client)).resolves.toMatchObject({ status: "PENDING_VERIFICATION" });
    expect(aws.seen.map((r) => r.action)).toEqual(["AdminDeleteUser", "SignUp"]);
  });
});
