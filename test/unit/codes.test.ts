import { createHmac } from "node:crypto";
import { type AttributeValue, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { decryptField, encryptField } from "#lib/crypto/fields";
import type { AppError } from "#lib/errors";
import { checkCode, consumeCodeItem, issueCode, newCode } from "#lib/identity/codes";
import { conditionFailed, freezeClock, NOW } from "#test/unit/support/aws";

const ddb = mockClient(DynamoDBDocumentClient);

/** The keyed hash the module must store: HMAC-SHA256 under the data key, computed here independently. */
const keyedHash = (userId: string, purpose: string, code: string) => {
  const { hmac } = JSON.parse(process.env.LOCAL_KEYS ?? "{}") as { hmac: string };
  return createHmac("sha256", Buffer.from(hmac, "base64")).update(`CODE\u0000${userId}:${purpose}:${code}`).digest("base64url");
};
const codeKey = { PK: "USER#u1", SK: "CODE#VERIFY" };
const stored = (code: string, overrides: Record<string, unknown> = {}) => ({
  ...codeKey,
  entity: "CODE",
  codeHash: keyedHash("u1", "VERIFY", code),
  channel: "EMAIL",
  sentAt: NOW - 120_000,
  expiresAt: NOW + 480_000,
  attempts: 0,
  ...overrides,
});
const refusal = async (promise: Promise<unknown>) => (await promise.then(() => expect.unreachable("not refused"), (e: unknown) => e)) as AppError;

beforeEach(() => {
  ddb.reset();
  freezeClock();
});
afterEach(() => vi.useRealTimers());

describe("newCode", () => {
  it("is always six digits, keeps leading zeros and varies", () => {
    // Act
    const codes = Array.from({ length: 2000 }, () => newCode());

    // Assess
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(codes.some((c) => c.startsWith("0"))).toBe(true); // ~10% of them; none would mean no padding
    expect(new Set(codes).size).toBeGreaterThan(1900);
  });
});

describe("issueCode", () => {
  const recipient = async () => ({
    userId: "u1",
    emailEnc: await encryptField("alice@example.com", "u1:email"),
    phoneEnc: await encryptField("+8613812341234", "u1:phone"),
  });
  /** The outbox item's payload, decrypted as the sender will. */
  const payloadOf = async (item: Record<string, unknown> | undefined) =>
    JSON.parse(await decryptField(String(item?.payloadEnc), `u1:outbox:${String(item?.messageId)}`)) as { to: string; params: { code: string } };
  const cancelled = (...reasons: { Code: string; Item?: Record<string, AttributeValue> }[]) =>
    new TransactionCanceledException({ message: "Transaction cancelled", $metadata: {}, CancellationReasons: reasons });

  it("writes the code's keyed hash and queues the code for delivery in one transaction, with a condition that enforces the 60 s cooldown", async () => {
    // Prepare
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    await issueCode(await recipient(), "VERIFY", "EMAIL");

    // Assess
    const input = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input;
    const [codePut, messagePut] = input?.TransactItems ?? [];
    const { to, params } = await payloadOf(messagePut?.Put?.Item);
    expect(to).toBe("alice@example.com");
    expect(params.code).toMatch(/^\d{6}$/);
    expect(codePut).toEqual({
      Put: {
        TableName: "unit-table",
        Item: {
          ...codeKey,
          entity: "CODE",
          codeHash: keyedHash("u1", "VERIFY", params.code),
          channel: "EMAIL",
          sentAt: NOW,
          expiresAt: NOW + 600_000,
          attempts: 0,
          ttl: Math.floor(NOW / 1000) + 600 + 3600,
        },
        ConditionExpression: "attribute_not_exists(PK) OR sentAt <= :cutoff",
        ExpressionAttributeValues: { ":cutoff": NOW - 60_000 },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    });
    expect(messagePut?.Put).toMatchObject({
      TableName: "unit-table",
      Item: { PK: "USER#u1", SK: `OUTBOX#${String(messagePut?.Put?.Item?.messageId)}`, entity: "OUTBOX", template: "VERIFICATION_CODE", channel: "EMAIL", status: "PENDING", notAfter: NOW + 600_000 },
      ConditionExpression: "attribute_not_exists(PK)",
    });
    expect(input?.TransactItems).toHaveLength(2);
    expect(JSON.stringify(input)).not.toContain(JSON.stringify(params.code)); // only the hash and the sealed payload hold it
    expect(JSON.stringify(input)).not.toContain("alice@example.com");
  });

  it("binds the hash to the user and the purpose, and sends a reset code by SMS to the phone", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await issueCode(await recipient(), "RESET", "SMS");
    const [codePut, messagePut] = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    const { to, params } = await payloadOf(messagePut?.Put?.Item);
    expect(to).toBe("+8613812341234");
    expect(messagePut?.Put?.Item).toMatchObject({ template: "RESET_CODE", channel: "SMS" });
    expect(codePut?.Put?.Item).toMatchObject({ SK: "CODE#RESET", channel: "SMS", codeHash: keyedHash("u1", "RESET", params.code) });
    expect(codePut?.Put?.Item?.codeHash).not.toBe(keyedHash("u1", "VERIFY", params.code));
    expect(codePut?.Put?.Item?.codeHash).not.toBe(keyedHash("u2", "RESET", params.code));
  });

  it("answers 429 RESEND_COOLDOWN with Retry-After from the stored sentAt when a code went out less than 60 s ago", async () => {
    // Prepare: the old code item comes back (marshalled) with the cancellation, as with ALL_OLD.
    ddb.on(TransactWriteCommand).rejects(cancelled({ Code: "ConditionalCheckFailed", Item: { sentAt: { N: String(NOW - 20_500) } } }, { Code: "None" }));

    // Act
    const error = await refusal(issueCode(await recipient(), "VERIFY", "EMAIL"));

    // Assess
    expect(error).toMatchObject({ status: 429, code: "RESEND_COOLDOWN", extra: { retryAfter: 40 }, headers: { "retry-after": "40" } });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it("does not take a failed condition on the queued message for the cooldown", async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled({ Code: "None" }, { Code: "ConditionalCheckFailed" }));
    const error = await refusal(issueCode(await recipient(), "VERIFY", "EMAIL"));
    expect(error).not.toHaveProperty("status");
    expect(error).toMatchObject({ reasons: ["None", "ConditionalCheckFailed"] });
  });

  it("passes other failures of the write through", async () => {
    ddb.on(TransactWriteCommand).rejects(new Error("table gone"));
    await expect(issueCode(await recipient(), "VERIFY", "EMAIL")).rejects.toThrow("table gone");
  });

  it("writes nothing for a channel the user has no address for", async () => {
    await expect(issueCode({ userId: "u1", emailEnc: await encryptField("alice@example.com", "u1:email") }, "VERIFY", "SMS")).rejects.toThrow();
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe("checkCode", () => {
  it("accepts the right code and returns the stored hash, without writing anything", async () => {
    // Prepare
    ddb.on(GetCommand).resolves({ Item: stored("042917") });

    // Act
    const result = await checkCode("u1", "VERIFY", "042917");

    // Assess
    expect(result).toEqual({ codeHash: keyedHash("u1", "VERIFY", "042917") });
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({ TableName: "unit-table", Key: codeKey, ConsistentRead: true });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it("uses an item the caller already read instead of reading it again", async () => {
    await expect(checkCode("u1", "VERIFY", "042917", { item: stored("042917") })).resolves.toEqual({ codeHash: keyedHash("u1", "VERIFY", "042917") });
    expect(ddb.calls()).toHaveLength(0);
  });

  it.each([
    ["there is no code", undefined],
    ["the item is not a code", { ...codeKey, entity: "USER" }],
    ["the code has expired", stored("042917", { expiresAt: NOW - 1 })],
  ])("answers 400 CODE_EXPIRED when %s, without counting an attempt", async (_name, item) => {
    ddb.on(GetCommand).resolves({ Item: item });
    await expect(checkCode("u1", "VERIFY", "042917")).rejects.toMatchObject({ status: 400, code: "CODE_EXPIRED" });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it("answers 429 TOO_MANY_ATTEMPTS once the attempts reach the maximum, even for the right code", async () => {
    // Prepare: sent 20 s ago, so a new one may be asked for in 40 s.
    ddb.on(GetCommand).resolves({ Item: stored("042917", { attempts: 5, sentAt: NOW - 20_000 }) });

    // Act
    const error = await refusal(checkCode("u1", "VERIFY", "042917"));

    // Assess
    expect(error).toMatchObject({ status: 429, code: "TOO_MANY_ATTEMPTS", headers: { "retry-after": "40" } });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it("counts a wrong code with a conditional ADD and answers 400 CODE_MISMATCH with the attempts left", async () => {
    // Prepare
    ddb.on(GetCommand).resolves({ Item: stored("042917", { attempts: 1 }) });
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 2 } });

    // Act
    const error = await refusal(checkCode("u1", "VERIFY", "123456"));

    // Assess
    expect(error).toMatchObject({ status: 400, code: "CODE_MISMATCH", extra: { attemptsRemaining: 3 } });
    const input = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input).toEqual({
      TableName: "unit-table",
      Key: codeKey,
      UpdateExpression: "ADD attempts :one",
      ConditionExpression: "attempts < :max AND codeHash = :hash",
      ExpressionAttributeValues: { ":one": 1, ":max": 5, ":hash": keyedHash("u1", "VERIFY", "042917") },
      ReturnValues: "UPDATED_NEW",
    });
    expect(JSON.stringify(input)).not.toContain("123456");
  });

  it("reports no attempts left after the last wrong try", async () => {
    ddb.on(GetCommand).resolves({ Item: stored("042917", { attempts: 4 }) });
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 5 } });
    await expect(checkCode("u1", "VERIFY", "000000")).rejects.toMatchObject({ status: 400, code: "CODE_MISMATCH", extra: { attemptsRemaining: 0 } });
  });

  it("answers 429 TOO_MANY_ATTEMPTS when concurrent wrong tries used up the attempts (or the code was replaced) meanwhile", async () => {
    ddb.on(GetCommand).resolves({ Item: stored("042917", { attempts: 4 }) });
    ddb.on(UpdateCommand).rejects(conditionFailed());
    await expect(checkCode("u1", "VERIFY", "000000")).rejects.toMatchObject({ status: 429, code: "TOO_MANY_ATTEMPTS" });
  });

  it("passes other failures of the attempt count through", async () => {
    ddb.on(GetCommand).resolves({ Item: stored("042917") });
    ddb.on(UpdateCommand).rejects(new Error("throttled"));
    await expect(checkCode("u1", "VERIFY", "000000")).rejects.toThrow("throttled");
  });

  it("never sends a code, right or wrong, to DynamoDB", async () => {
    ddb.on(GetCommand).resolves({ Item: stored("042917") });
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 1 } });
    await checkCode("u1", "VERIFY", "042917");
    await checkCode("u1", "VERIFY", "777111").catch(() => undefined);
    const sent = JSON.stringify(ddb.calls().map((c) => c.args[0].input));
    expect(sent).not.toContain("042917");
    expect(sent).not.toContain("777111");
    expect(ddb.calls()).toHaveLength(3); // two reads and one attempt count
  });
});

describe("consumeCodeItem", () => {
  it("is a transaction Delete of the code, on condition that it is still the code that was checked", () => {
    expect(consumeCodeItem("u1", "RESET", "h4sh")).toEqual({
      Delete: {
        TableName: "unit-table",
        Key: { PK: "USER#u1", SK: "CODE#RESET" },
        ConditionExpression: "codeHash = :hash",
        ExpressionAttributeValues: { ":hash": "h4sh" },
      },
    });
  });
});
