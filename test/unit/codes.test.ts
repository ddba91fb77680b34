import { createHmac } from "node:crypto";
import { type AttributeValue, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand, type UpdateCommandInput } from "@aws-sdk/lib-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { decryptField, encryptField } from "#lib/crypto/fields";
import type { AppError } from "#lib/errors";
import { checkCode, consumeCodeItem, issueCode, issuePhantomCode, markCodeUsedItem, newCode } from "#lib/identity/codes";
import { conditionFailed, freezeClock, NOW } from "#test/unit/support/aws";
import { mockAwsFetch } from "#test/unit/support/fetch";
import { fakeTable } from "#test/unit/support/table";

const ddb = mockClient(DynamoDBDocumentClient);

/** The keyed hash the module must store: HMAC-SHA256 under the data key, computed here independently. */
const keyedHash = (subject: string, purpose: string, code: string) => {
  const { hmac } = JSON.parse(process.env.LOCAL_KEYS ?? "{}") as { hmac: string };
  return createHmac("sha256", Buffer.from(hmac, "base64")).update(`CODE\u0000${subject}:${purpose}:${code}`).digest("base64url");
};
const LOGIN = "login-hash-of-alice";
const codeKey = { PK: "USER#u1", SK: "CODE#VERIFY" };
const phantomKey = { PK: `PHANTOM#${LOGIN}`, SK: "CODE#VERIFY" };
const stored = (code: string, overrides: Record<string, unknown> = {}) => ({
  ...codeKey,
  entity: "CODE",
  codeHash: keyedHash("u1", "VERIFY", code),
  channel: "EMAIL",
  sentAt: NOW - 120_000,
  expiresAt: NOW + 480_000,
  attempts: 0,
  ttl: Math.floor(NOW / 1000) + 4200,
  ...overrides,
});
/** The claim of a try answers with the item as it is after the try (ALL_NEW). */
const claimed = (item: Record<string, unknown>) => ({ Attributes: item });
/** A refused claim: DynamoDB hands the old item back marshalled (ALL_OLD), or nothing when there is none. */
const refusedWith = (item?: Record<string, unknown>) => conditionFailed(item ? marshall(item) : undefined);
const updates = () => ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
const refusal = async (promise: Promise<unknown>) => (await promise.then(() => expect.unreachable("not refused"), (e: unknown) => e)) as AppError;
const cancelled = (...reasons: { Code: string; Item?: Record<string, AttributeValue> }[]) =>
  new TransactionCanceledException({ message: "Transaction cancelled", $metadata: {}, CancellationReasons: reasons });

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

describe("issuePhantomCode", () => {
  const guard = { PK: `UNIQUE#${LOGIN}`, SK: "UNIQUE" };

  it("writes a phantom code under the login's hash with the same cooldown, beside a ConditionCheck of the login's guard, and sends nothing", async () => {
    // Prepare
    ddb.on(TransactWriteCommand).resolves({});
    const aws = mockAwsFetch();

    // Act
    await issuePhantomCode(LOGIN, guard, "RESET");
    aws.restore();

    // Assess
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(items).toEqual([
      {
        Put: {
          TableName: "unit-table",
          Item: {
            PK: `PHANTOM#${LOGIN}`,
            SK: "CODE#RESET",
            entity: "CODE",
            codeHash: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
            sentAt: NOW,
            expiresAt: NOW + 600_000,
            attempts: 0,
            ttl: Math.floor(NOW / 1000) + 600 + 3600,
          },
          ConditionExpression: "attribute_not_exists(PK) OR sentAt <= :cutoff",
          ExpressionAttributeValues: { ":cutoff": NOW - 60_000 },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
      { ConditionCheck: { TableName: "unit-table", Key: guard, ConditionExpression: "attribute_exists(PK) OR attribute_not_exists(PK)" } },
    ]);
    expect(ddb.calls()).toHaveLength(1);
    expect(aws.seen).toHaveLength(0);
  });

  it("answers 429 RESEND_COOLDOWN exactly as for a real code when a phantom went out less than 60 s ago", async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled({ Code: "ConditionalCheckFailed", Item: { sentAt: { N: String(NOW - 20_500) } } }, { Code: "None" }));
    const error = await refusal(issuePhantomCode(LOGIN, guard, "VERIFY"));
    expect(error).toMatchObject({ status: 429, code: "RESEND_COOLDOWN", extra: { retryAfter: 40 }, headers: { "retry-after": "40" } });
  });

  it("passes other failures of the write through", async () => {
    ddb.on(TransactWriteCommand).rejects(new Error("table gone"));
    await expect(issuePhantomCode(LOGIN, guard, "VERIFY")).rejects.toThrow("table gone");
  });
});

describe("checkCode", () => {
  const user = { userId: "u1" };

  it("claims one try with a conditional ADD before comparing, and accepts the right code, returning its hash", async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves(claimed(stored("042917", { attempts: 1 })));

    // Act
    const result = await checkCode(user, "VERIFY", "042917", LOGIN);

    // Assess
    expect(result).toEqual({ codeHash: keyedHash("u1", "VERIFY", "042917"), consumed: false });
    expect(updates()).toEqual([
      {
        TableName: "unit-table",
        Key: codeKey,
        UpdateExpression: "ADD attempts :one",
        ConditionExpression: "attribute_exists(PK) AND attempts < :max",
        ExpressionAttributeValues: { ":one": 1, ":max": 5 },
        ReturnValues: "ALL_NEW",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    ]);
    expect(ddb.calls()).toHaveLength(1);
  });

  it("answers 400 CODE_MISMATCH with the tries left for a wrong code, the try staying counted", async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves(claimed(stored("042917", { attempts: 2 })));

    // Act
    const error = await refusal(checkCode(user, "VERIFY", "123456", LOGIN));

    // Assess
    expect(error).toMatchObject({ status: 400, code: "CODE_MISMATCH", extra: { attemptsRemaining: 3 } });
    expect(updates()).toHaveLength(1);
    expect(JSON.stringify(updates())).not.toContain("123456");
  });

  it("reports no attempts left after the last wrong try", async () => {
    ddb.on(UpdateCommand).resolves(claimed(stored("042917", { attempts: 5 })));
    await expect(checkCode(user, "VERIFY", "000000", LOGIN)).rejects.toMatchObject({ status: 400, code: "CODE_MISMATCH", extra: { attemptsRemaining: 0 } });
  });

  it("answers 429 TOO_MANY_ATTEMPTS once the tries are used up, even for the right code, with Retry-After until a new code may be asked for", async () => {
    // Prepare: sent 20 s ago, so a new one may be asked for in 40 s.
    ddb.on(UpdateCommand).rejects(refusedWith(stored("042917", { attempts: 5, sentAt: NOW - 20_000 })));

    // Act
    const error = await refusal(checkCode(user, "VERIFY", "042917", LOGIN));

    // Assess
    expect(error).toMatchObject({ status: 429, code: "TOO_MANY_ATTEMPTS", extra: { retryAfter: 40 }, headers: { "retry-after": "40" } });
    expect(updates()).toHaveLength(1); // no phantom: the code exists
  });

  it("asks for at least one second when the cooldown is already over", async () => {
    ddb.on(UpdateCommand).rejects(refusedWith(stored("042917", { attempts: 5, sentAt: NOW - 300_000 })));
    await expect(checkCode(user, "VERIFY", "042917", LOGIN)).rejects.toMatchObject({ status: 429, code: "TOO_MANY_ATTEMPTS", headers: { "retry-after": "1" } });
  });

  it("answers 400 CODE_EXPIRED for the right code once it has expired, and CODE_MISMATCH for a wrong one", async () => {
    ddb.on(UpdateCommand).resolves(claimed(stored("042917", { attempts: 1, expiresAt: NOW - 1 })));
    await expect(checkCode(user, "VERIFY", "042917", LOGIN)).rejects.toMatchObject({ status: 400, code: "CODE_EXPIRED" });
    await expect(checkCode(user, "VERIFY", "042918", LOGIN)).rejects.toMatchObject({ status: 400, code: "CODE_MISMATCH" });
    expect(updates()).toHaveLength(2); // each counted as a try
  });

  it("accepts the right code until the very millisecond it expires", async () => {
    ddb.on(UpdateCommand).resolves(claimed(stored("042917", { attempts: 1, expiresAt: NOW })));
    await expect(checkCode(user, "VERIFY", "042917", LOGIN)).resolves.toMatchObject({ consumed: false });
  });

  it("tells the caller that the right code was used already", async () => {
    ddb.on(UpdateCommand).resolves(claimed(stored("042917", { attempts: 1, consumedAt: NOW - 5000 })));
    await expect(checkCode(user, "VERIFY", "042917", LOGIN)).resolves.toEqual({ codeHash: keyedHash("u1", "VERIFY", "042917"), consumed: true });
  });

  it("answers a used code as used even once it has expired, so that a repeated verify answers as the first", async () => {
    ddb.on(UpdateCommand).resolves(claimed(stored("042917", { attempts: 1, consumedAt: NOW - 700_000, expiresAt: NOW - 100_000 })));
    await expect(checkCode(user, "VERIFY", "042917", LOGIN)).resolves.toMatchObject({ consumed: true });
  });

  it("does not accept another user's code (the hash is bound to its owner)", async () => {
    ddb.on(UpdateCommand).resolves(claimed(stored("042917", { attempts: 1 })));
    await expect(checkCode({ userId: "u2" }, "VERIFY", "042917", LOGIN)).rejects.toMatchObject({ status: 400, code: "CODE_MISMATCH" });
  });

  it("answers through the login's phantom when the account has no code of this purpose, and the phantom matches no code", async () => {
    // Prepare: no code item (the claim fails without an old item); the phantom is created by the claim.
    ddb.on(UpdateCommand, { Key: codeKey }).rejects(refusedWith());
    ddb.on(UpdateCommand, { Key: phantomKey }).callsFake(async (input: UpdateCommandInput) =>
      claimed({ ...phantomKey, entity: "CODE", codeHash: input.ExpressionAttributeValues?.[":none"], sentAt: NOW, expiresAt: NOW + 600_000, attempts: 1 }),
    );

    // Act
    const error = await refusal(checkCode(user, "VERIFY", "042917", LOGIN));

    // Assess
    expect(error).toMatchObject({ status: 400, code: "CODE_MISMATCH", extra: { attemptsRemaining: 4 } });
    expect(updates()[1]).toEqual({
      TableName: "unit-table",
      Key: phantomKey,
      UpdateExpression:
        "SET entity = :entity, codeHash = if_not_exists(codeHash, :none), sentAt = if_not_exists(sentAt, :now), expiresAt = if_not_exists(expiresAt, :exp), #ttl = if_not_exists(#ttl, :ttl) ADD attempts :one",
      ConditionExpression: "attribute_not_exists(PK) OR attempts < :max",
      ExpressionAttributeNames: { "#ttl": "ttl" },
      ExpressionAttributeValues: {
        ":one": 1,
        ":max": 5,
        ":entity": "CODE",
        ":none": expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), // not the 43 characters of a code's hash: it can match none
        ":now": NOW,
        ":exp": NOW + 600_000,
        ":ttl": Math.floor(NOW / 1000) + 600 + 3600,
      },
      ReturnValues: "ALL_NEW",
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    });
    expect(updates()).toHaveLength(2);
  });

  it("claims the phantom directly for an unknown login, and answers 429 TOO_MANY_ATTEMPTS once its tries are used up", async () => {
    // Prepare
    ddb.on(UpdateCommand).rejects(refusedWith({ ...phantomKey, entity: "CODE", codeHash: "x", sentAt: NOW - 30_000, expiresAt: NOW + 570_000, attempts: 5 }));

    // Act
    const error = await refusal(checkCode({ loginHash: LOGIN }, "VERIFY", "042917", LOGIN));

    // Assess
    expect(error).toMatchObject({ status: 429, code: "TOO_MANY_ATTEMPTS", headers: { "retry-after": "30" } });
    expect(updates().map((u) => u.Key)).toEqual([phantomKey]);
  });

  it("does not accept, for an unknown login, the code a phantom was issued with", async () => {
    // A phantom written by issuePhantomCode holds the hash of a code that was never sent; a guess is compared like any other.
    ddb.on(UpdateCommand).resolves(claimed({ ...phantomKey, entity: "CODE", codeHash: keyedHash(`phantom:${LOGIN}`, "VERIFY", "0123456789abcdef"), sentAt: NOW, expiresAt: NOW + 1, attempts: 1 }));
    await expect(checkCode({ loginHash: LOGIN }, "VERIFY", "042917", LOGIN)).rejects.toMatchObject({ status: 400, code: "CODE_MISMATCH", extra: { attemptsRemaining: 4 } });
  });

  it("passes other failures of the claim through, without falling back to the phantom", async () => {
    ddb.on(UpdateCommand).rejects(new Error("throttled"));
    await expect(checkCode(user, "VERIFY", "000000", LOGIN)).rejects.toThrow("throttled");
    expect(updates()).toHaveLength(1);
  });

  it("passes other failures of the phantom's claim through", async () => {
    ddb.on(UpdateCommand, { Key: codeKey }).rejects(refusedWith());
    ddb.on(UpdateCommand, { Key: phantomKey }).rejects(new Error("throttled"));
    await expect(checkCode(user, "VERIFY", "000000", LOGIN)).rejects.toThrow("throttled");
  });

  it("never sends a code, right or wrong, to DynamoDB", async () => {
    ddb.on(UpdateCommand).resolves(claimed(stored("042917", { attempts: 1 })));
    await checkCode(user, "VERIFY", "042917", LOGIN);
    await checkCode(user, "VERIFY", "777111", LOGIN).catch(() => undefined);
    const sent = JSON.stringify(ddb.calls().map((c) => c.args[0].input));
    expect(sent).not.toContain("042917");
    expect(sent).not.toContain("777111");
    expect(ddb.calls()).toHaveLength(2); // one claimed try each
  });
});

describe("checkCode played out against a table that applies the module's conditions", () => {
  const wrongGuesses = async (owner: { userId: string } | { loginHash: string }, n: number) => {
    const answers: string[] = [];
    for (let i = 0; i < n; i++) {
      const error = await refusal(checkCode(owner, "VERIFY", String(100000 + i), LOGIN));
      answers.push(`${error.status} ${error.code} ${JSON.stringify(error.extra)}`);
    }
    return answers;
  };

  it("answers wrong guesses for an account without a code exactly as for one with a code: five tries, then 429", async () => {
    // Prepare
    const table = fakeTable(ddb);
    table.put(stored("042917", { sentAt: NOW }));

    // Act
    const real = await wrongGuesses({ userId: "u1" }, 6);
    const unknown = await wrongGuesses({ loginHash: "login-hash-of-nobody" }, 6);
    const codeless = await wrongGuesses({ userId: "u9" }, 6);

    // Assess
    expect(real).toEqual([
      '400 CODE_MISMATCH {"attemptsRemaining":4}',
      '400 CODE_MISMATCH {"attemptsRemaining":3}',
      '400 CODE_MISMATCH {"attemptsRemaining":2}',
      '400 CODE_MISMATCH {"attemptsRemaining":1}',
      '400 CODE_MISMATCH {"attemptsRemaining":0}',
      '429 TOO_MANY_ATTEMPTS {"retryAfter":60}',
    ]);
    expect(unknown).toEqual(real);
    expect(codeless).toEqual(real); // u9 answers through LOGIN's phantom
    expect(table.get(phantomKey)).toMatchObject({ attempts: 5 });
    expect(table.get({ PK: "USER#u9", SK: "CODE#VERIFY" })).toBeUndefined();
  });

  it("compares at most five of 20 parallel guesses, whatever their order, so the right code among them may be tried only within the five (fast-check scheduler)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 0, max: 19 }), async (s, rightAt) => {
        // Prepare
        ddb.reset();
        const table = fakeTable(ddb, { beforeEach: () => s.schedule(Promise.resolve()) });
        table.put(stored("042917", { sentAt: NOW }));
        const guesses = Array.from({ length: 20 }, (_, i) => (i === rightAt ? "042917" : String(200000 + i)));

        // Act
        const results = await s.waitFor(Promise.allSettled(guesses.map((g) => checkCode({ userId: "u1" }, "VERIFY", g, LOGIN))));

        // Assess
        const outcomes = results.map((r) => (r.status === "fulfilled" ? "OK" : (r.reason as AppError).code));
        expect(outcomes.filter((o) => o === "TOO_MANY_ATTEMPTS")).toHaveLength(15);
        expect(outcomes.filter((o) => o === "OK" || o === "CODE_MISMATCH")).toHaveLength(5);
        expect(outcomes.filter((o) => o === "OK").length).toBeLessThanOrEqual(1);
        expect(table.get(codeKey)).toMatchObject({ attempts: 5 });
      }),
      { numRuns: 40 },
    );
  });
});

describe("consumeCodeItem", () => {
  it("is a transaction Delete of the code, on condition that it is still the code that was checked and was not used", () => {
    expect(consumeCodeItem("u1", "RESET", "h4sh")).toEqual({
      Delete: {
        TableName: "unit-table",
        Key: { PK: "USER#u1", SK: "CODE#RESET" },
        ConditionExpression: "codeHash = :hash AND attribute_not_exists(consumedAt)",
        ExpressionAttributeValues: { ":hash": "h4sh" },
      },
    });
  });
});

describe("markCodeUsedItem", () => {
  it("is a transaction Update that keeps the code, marks it used and starts its tries over, on the same condition", () => {
    expect(markCodeUsedItem("u1", "VERIFY", "h4sh", NOW)).toEqual({
      Update: {
        TableName: "unit-table",
        Key: codeKey,
        UpdateExpression: "SET consumedAt = :now, attempts = :zero",
        ConditionExpression: "codeHash = :hash AND attribute_not_exists(consumedAt)",
        ExpressionAttributeValues: { ":hash": "h4sh", ":now": NOW, ":zero": 0 },
      },
    });
  });

  it("marks it used now when no time is given", () => {
    expect(markCodeUsedItem("u1", "VERIFY", "h4sh").Update.ExpressionAttributeValues[":now"]).toBe(NOW);
  });
});
