import { BatchExecuteStatementCommand, BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { decryptField, encryptField } from "#lib/crypto/fields";
import { outboxKey, payloadContext } from "#lib/data/outbox";
import { outboxItem } from "#lib/notify/outbox";
import { deliverMessages } from "#lib/notify/sender";
import { render, templates } from "#lib/notify/templates";
import { noBackoffJitter } from "#test/unit/support/aws";
import { type Answer, mockAwsFetch } from "#test/unit/support/fetch";
import { type FakeTable, type FakeTableOptions, fakeTable } from "#test/unit/support/table";

// The outbox: what a queued message holds, and how the sender reads, claims, sends and settles a
// stream batch, played out against an in-memory table that applies the module's own PartiQL
// conditions and batch writes.
const ddb = mockClient(DynamoDBDocumentClient);
const SES = "/v2/email/outbound-emails";
const CLAIM =
  'UPDATE "unit-table" SET "status" = \'SENDING\' SET claimedUntil = ? SET claimedBy = ? SET attempts = ? ' +
  "WHERE PK = ? AND SK = ? AND attempts = ? AND (\"status\" = 'PENDING' OR (\"status\" = 'SENDING' AND claimedUntil < ?))";
let aws: ReturnType<typeof mockAwsFetch>;
let table: FakeTable;

/** A queued message to `name`@example.com (user `name`), stored in the table unless `store` is false. */
async function message(name: string, overrides: Record<string, unknown> = {}, store = true) {
  const recipient = { userId: name, emailEnc: await encryptField(`${name}@example.com`, `${name}:email`) };
  const item = { ...(await outboxItem(recipient, "EMAIL", "VERIFICATION_CODE", { code: "123456" }, { notAfter: Date.now() + 60_000 })), ...overrides };
  if (store) table.put(item);
  return item;
}
const ref = (m: { userId: string; messageId: string }) => ({ userId: m.userId, messageId: m.messageId, sequenceNumber: `seq-${m.userId}` });
const stored = (m: { userId: string; messageId: string }) => table.get(outboxKey(m.userId, m.messageId));
const mailedTo = () => aws.calls(SES).map((r) => (r.json() as { Destination: { ToAddresses: string[] } }).Destination.ToAddresses[0]);
const commands = () => ddb.calls().map((c) => c.args[0].constructor.name);
/** SES answers by recipient: `failures` maps a user to the error SES gives for them. */
const ses = (failures: Record<string, Answer> = {}) =>
  mockAwsFetch({ [SES]: (r) => failures[String((r.json() as { Destination: { ToAddresses: string[] } }).Destination.ToAddresses[0]).split("@")[0] ?? ""] ?? { body: { MessageId: "m" } } });
const sesError = (type: string, status: number): Answer => ({ status, headers: { "x-amzn-errortype": type } });
const setUp = (options: FakeTableOptions = {}) => {
  table = fakeTable(ddb, options);
  aws = ses();
};

beforeEach(() => {
  ddb.reset();
  setUp();
});
afterEach(() => {
  aws.restore();
  vi.restoreAllMocks();
});

describe("outbox items", () => {
  it("hold the template and an encrypted payload with the destination and parameters, nothing in plain text", async () => {
    const item = await message("u1", {}, false);
    expect(item).toMatchObject({ entity: "OUTBOX", PK: "USER#u1", template: "VERIFICATION_CODE", channel: "EMAIL", status: "PENDING", attempts: 0 });
    expect(JSON.stringify(item)).not.toMatch(/123456|u1@example\.com/);
    const payload = JSON.parse(await decryptField(item.payloadEnc ?? "", payloadContext("u1", item.messageId)));
    expect(payload).toEqual({ to: "u1@example.com", params: { code: "123456" } });
    expect(item.ttl - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(3 * 24 * 3600);
  });

  it("refuses a user without a destination on the channel", async () => {
    await expect(outboxItem({ userId: "u1" }, "SMS", "PASSWORD_CHANGED", { at: "now" })).rejects.toThrow("no SMS destination");
  });

  it("render every template, and refuse an unknown one", () => {
    const anyParams = new Proxy({} as Record<string, string>, { get: (_, key) => `value of ${String(key)}` }); // whatever each template asks
    for (const name of Object.keys(templates)) expect(render(name, anyParams).subject.length).toBeGreaterThan(5);
    expect(() => render("FREE_MONEY", {})).toThrow("unknown template");
  });
});

describe("the sender", () => {
  it("reads, claims and settles a whole batch in three DynamoDB round trips, sending each message once and erasing its payload", async () => {
    // Prepare
    const batch = await Promise.all(["u1", "u2", "u3"].map((u) => message(u)));

    // Act
    const outcome = await deliverMessages(batch.map(ref));

    // Assess
    expect(outcome).toEqual({ delivered: 3, skipped: 0, settled: 0, failed: [] });
    expect(commands()).toEqual(["BatchGetCommand", "BatchExecuteStatementCommand", "BatchWriteCommand"]);
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.["unit-table"]).toMatchObject({ ConsistentRead: true });
    const [claim] = ddb.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input.Statements ?? [];
    const token = expect.stringMatching(/^[0-9a-f-]{36}$/);
    expect(claim).toEqual({ Statement: CLAIM, Parameters: [expect.any(Number), token, 1, "USER#u1", batch[0]?.SK, 0, expect.any(Number)], ReturnValuesOnConditionCheckFailure: "ALL_OLD" });
    expect(mailedTo().sort()).toEqual(["u1@example.com", "u2@example.com", "u3@example.com"]);
    expect((aws.calls(SES)[0]?.json() as { Content: { Simple: { Body: { Text: { Data: string } } } } }).Content.Simple.Body.Text.Data).toContain("123456");
    for (const m of batch) {
      const after = stored(m);
      expect(after).toMatchObject({ status: "DELIVERED", attempts: 1, deliveredAt: expect.any(String), settledAt: expect.any(String), ttl: m.ttl, entity: "OUTBOX" });
      expect(after).not.toHaveProperty("payloadEnc");
      expect(after).not.toHaveProperty("claimedUntil");
      expect(after).not.toHaveProperty("claimedBy");
    }
  });

  it("sends nothing again for a redelivered batch: one read, no write, no mail", async () => {
    // Prepare
    const batch = await Promise.all(["u1", "u2"].map((u) => message(u)));
    await deliverMessages(batch.map(ref));
    ddb.resetHistory();

    // Act
    const again = await deliverMessages(batch.map(ref));

    // Assess
    expect(again).toEqual({ delivered: 0, skipped: 2, settled: 0, failed: [] });
    expect(commands()).toEqual(["BatchGetCommand"]);
    expect(mailedTo()).toHaveLength(2);
  });

  it("sends each message once when two senders race over the same batch", async () => {
    const batch = await Promise.all(["u1", "u2", "u3"].map((u) => message(u)));
    const [a, b] = await Promise.all([deliverMessages(batch.map(ref)), deliverMessages(batch.map(ref))]);
    expect(mailedTo().sort()).toEqual(["u1@example.com", "u2@example.com", "u3@example.com"]);
    expect((a?.delivered ?? 0) + (b?.delivered ?? 0)).toBe(3);
    expect((a?.skipped ?? 0) + (b?.skipped ?? 0)).toBe(3); // the loser waited for the winner's outcome
    expect([...(a?.failed ?? []), ...(b?.failed ?? [])]).toEqual([]);
  });

  it("claims only what is still as it was read: a message settled or retried by another sender meanwhile is not sent", async () => {
    // Prepare: between this sender's read and its claim, the dead sender whose claim had lapsed
    // settles one message after all, and another sender claims and releases the second.
    let interleaved = false;
    setUp({
      beforeEach: async () => {
        if (interleaved) return;
        interleaved = true;
        table.put({ ...settled, status: "DELIVERED", payloadEnc: undefined });
        table.put({ ...retried, attempts: 1, lastError: "ServiceUnavailable" });
      },
    });
    const settled = await message("settled", { status: "SENDING", attempts: 1, claimedUntil: Date.now() - 1 });
    const retried = await message("retried");

    // Act
    const outcome = await deliverMessages([settled, retried].map(ref));

    // Assess
    expect(mailedTo()).toEqual([]);
    expect(outcome).toMatchObject({ delivered: 0, skipped: 1, failed: ["seq-retried"] }); // released: retried with the batch
    expect(stored(settled)).toMatchObject({ status: "DELIVERED", attempts: 1 });
    expect(stored(retried)).toMatchObject({ status: "PENDING", attempts: 1, payloadEnc: retried.payloadEnc });
  });

  it("settles a mixed batch: delivered and failed ones skipped, a lapsed code EXPIRED unsent, a refusal FAILED, a provider error back to PENDING", async () => {
    // Prepare
    aws.restore();
    aws = ses({ refused: sesError("MessageRejected:http://internal", 400), down: sesError("ServiceUnavailable", 503) });
    const done = await message("done", { status: "DELIVERED", payloadEnc: undefined, attempts: 1 });
    const given = await message("given-up", { status: "FAILED", payloadEnc: undefined, attempts: 1 });
    const fresh = await message("fresh");
    const lapsed = await message("lapsed", { notAfter: Date.now() - 1 });
    const refused = await message("refused");
    const down = await message("down", { attempts: 2, status: "SENDING", claimedUntil: Date.now() - 1 }); // a dead sender's claim
    const gone = await message("gone", {}, false);
    const started = Date.now();

    // Act
    const outcome = await deliverMessages([done, given, fresh, lapsed, refused, down, gone].map(ref));

    // Assess
    expect(outcome).toEqual({ delivered: 1, skipped: 3, settled: 2, failed: ["seq-down"] });
    expect(mailedTo().sort()).toEqual(["down@example.com", "fresh@example.com", "refused@example.com"]);
    expect(stored(fresh)).toMatchObject({ status: "DELIVERED", attempts: 1 });
    expect(stored(lapsed)).toMatchObject({ status: "EXPIRED", attempts: 1, settledAt: expect.any(String) });
    expect(stored(refused)).toMatchObject({ status: "FAILED", lastError: "MessageRejected" });
    for (const m of [lapsed, refused]) expect(stored(m)).not.toHaveProperty("payloadEnc");
    expect(stored(down)).toEqual({ ...down, status: "PENDING", attempts: 3, lastError: "ServiceUnavailable", claimedUntil: undefined });
    expect(stored(done)).toEqual(done);
    expect(stored(given)).toEqual(given);
    expect(stored(gone)).toBeUndefined(); // nothing written for a message that is not there
    expect(Date.now() - started).toBeGreaterThanOrEqual(750); // backed off (attempt 3: 0.8 s) before the batch is thrown back
  });

  it("writes the outcomes DynamoDB leaves unprocessed again, until all are written", async () => {
    // Prepare: the first BatchWriteItem leaves two of its three puts unprocessed.
    noBackoffJitter();
    let first = true;
    setUp({ unprocessed: (requests) => (first ? ((first = false), requests.slice(1)) : []) });
    const batch = await Promise.all(["u1", "u2", "u3"].map((u) => message(u)));

    // Act
    const outcome = await deliverMessages(batch.map(ref));

    // Assess
    expect(outcome.delivered).toBe(3);
    expect(ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.["unit-table"]?.length)).toEqual([3, 2]);
    for (const m of batch) expect(stored(m)).toMatchObject({ status: "DELIVERED" });
    expect(mailedTo()).toHaveLength(3);
  });

  it("waits for a message another sender holds, and skips it once that sender has settled it", async () => {
    const held = await message("u1", { status: "SENDING", attempts: 1, claimedUntil: Date.now() + 60_000 });
    setTimeout(() => table.put({ ...held, status: "DELIVERED", payloadEnc: undefined }), 150);
    expect(await deliverMessages([ref(held)])).toEqual({ delivered: 0, skipped: 1, settled: 0, failed: [] });
    expect(mailedTo()).toEqual([]);
  });

  it("throws back a message whose holder neither settles nor releases it, to be taken once the claim lapses", async () => {
    const held = await message("u1", { status: "SENDING", attempts: 1, claimedUntil: Date.now() + 60_000 });
    expect(await deliverMessages([ref(held)])).toEqual({ delivered: 0, skipped: 0, settled: 0, failed: ["seq-u1"] });
    expect(mailedTo()).toEqual([]);
    expect(stored(held)).toEqual(held);
  });

  it("sends nothing it could not claim: a claim DynamoDB keeps throttling is thrown back with the batch", async () => {
    noBackoffJitter();
    ddb.on(BatchExecuteStatementCommand).resolves({ Responses: [{ Error: { Code: "ThrottlingError", Message: "slow down" } }] });
    const m = await message("u1");
    expect(await deliverMessages([ref(m)])).toMatchObject({ delivered: 0, failed: ["seq-u1"] });
    expect(ddb.commandCalls(BatchExecuteStatementCommand)).toHaveLength(6);
    expect(mailedTo()).toEqual([]);
    expect(stored(m)).toMatchObject({ status: "PENDING", payloadEnc: m.payloadEnc });
  });

  it("reads back a claim whose answer was lost (a timeout) and sends what it took, once", async () => {
    // Prepare: DynamoDB applies the claims, but the answer never arrives.
    const timeout = Object.assign(new Error("request timed out"), { name: "TimeoutError" });
    ddb.on(BatchExecuteStatementCommand).callsFakeOnce(async (input) => {
      await table.statements(input);
      throw timeout;
    });
    const batch = await Promise.all(["u1", "u2"].map((u) => message(u)));

    // Act
    const outcome = await deliverMessages(batch.map(ref));

    // Assess
    expect(outcome).toEqual({ delivered: 2, skipped: 0, settled: 0, failed: [] });
    expect(commands()).toEqual(["BatchGetCommand", "BatchExecuteStatementCommand", "BatchGetCommand", "BatchWriteCommand"]);
    expect(mailedTo().sort()).toEqual(["u1@example.com", "u2@example.com"]);
    for (const m of batch) expect(stored(m)).toMatchObject({ status: "DELIVERED", attempts: 1 });
  });

  it("knows its own claim when a statement is sent again after a lost answer (the SDK's retry)", async () => {
    ddb.on(BatchExecuteStatementCommand).callsFakeOnce(async (input) => {
      await table.statements(input); // applied, answer lost
      return table.statements(input); // the resend: every condition fails on the sender's own claim
    });
    const m = await message("u1");
    expect(await deliverMessages([ref(m)])).toEqual({ delivered: 1, skipped: 0, settled: 0, failed: [] });
    expect(mailedTo()).toEqual(["u1@example.com"]);
    expect(stored(m)).toMatchObject({ status: "DELIVERED", attempts: 1 });
  });

  it("texts through SNS Publish for the SMS channel", async () => {
    aws.restore();
    aws = mockAwsFetch({ "/": { body: "<PublishResponse><PublishResult><MessageId>x</MessageId></PublishResult></PublishResponse>" } });
    const item = await outboxItem({ userId: "u1", phoneEnc: await encryptField("+8613812345678", "u1:phone") }, "SMS", "PASSWORD_CHANGED", { at: "12:00" });
    table.put(item);
    expect(await deliverMessages([ref(item)])).toMatchObject({ delivered: 1 });
    const form = new URLSearchParams(aws.seen[0]?.body);
    expect(form.get("Action")).toBe("Publish");
    expect(form.get("PhoneNumber")).toBe("+8613812345678");
    expect(form.get("Message")).toContain("12:00");
    expect(aws.seen[0]?.headers.authorization).toMatch(/Credential=[^/]+\/\d{8}\/us-east-1\/sns\/aws4_request/);
  });

  it("makes no call for a batch without outbox records", async () => {
    expect(await deliverMessages([])).toEqual({ delivered: 0, skipped: 0, settled: 0, failed: [] });
    expect(ddb.calls()).toHaveLength(0);
  });
});
