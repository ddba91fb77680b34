import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decryptField } from "#lib/crypto/fields";
import { payloadContext } from "#lib/data/outbox";
import { outboxItem } from "#lib/notify/outbox";
import { deliverMessages } from "#lib/notify/sender";
import { render, templates } from "#lib/notify/templates";
import { mockAwsFetch } from "#test/unit/support/fetch";

// The outbox: what a queued message holds, and how the sender claims, sends and settles it.
const ddb = mockClient(DynamoDBDocumentClient);
let aws: ReturnType<typeof mockAwsFetch>;
const user = { userId: "u1", emailEnc: undefined as string | undefined, phoneEnc: undefined as string | undefined };

async function storedMessage(overrides: Record<string, unknown> = {}) {
  const { encryptField } = await import("#lib/crypto/fields");
  const recipient = { ...user, emailEnc: await encryptField("ada@example.com", "u1:email") };
  const item = await outboxItem(recipient, "EMAIL", "VERIFICATION_CODE", { code: "123456" }, { notAfter: Date.now() + 60_000 });
  return { ...item, status: "SENDING", attempts: 1, ...overrides };
}

const claimAnswers = (item: Record<string, unknown> | Error) =>
  ddb.on(UpdateCommand, { UpdateExpression: "SET #status = :sending, claimedUntil = :until ADD attempts :one" }).callsFake(() => {
    if (item instanceof Error) throw item;
    return { Attributes: item };
  });

const updates = () => ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);

describe("outbox items", () => {
  it("hold the template and an encrypted payload with the destination and parameters, nothing in plain text", async () => {
    const item = await storedMessage({ status: "PENDING", attempts: 0 });
    expect(item).toMatchObject({ entity: "OUTBOX", PK: "USER#u1", template: "VERIFICATION_CODE", channel: "EMAIL", status: "PENDING" });
    expect(JSON.stringify(item)).not.toMatch(/123456|ada@example\.com/);
    const payload = JSON.parse(await decryptField(item.payloadEnc ?? "", payloadContext("u1", item.messageId)));
    expect(payload).toEqual({ to: "ada@example.com", params: { code: "123456" } });
    expect(item.ttl - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(3 * 24 * 3600);
  });

  it("refuses a user without a destination on the channel", async () => {
    await expect(outboxItem(user, "SMS", "PASSWORD_CHANGED", { at: "now" })).rejects.toThrow("no SMS destination");
  });

  it("render every template, and refuse an unknown one", () => {
    for (const name of Object.keys(templates)) expect(render(name, { code: "1", at: "t", ip: "i", userAgent: "u", reason: "r" }).subject.length).toBeGreaterThan(5);
    expect(() => render("FREE_MONEY", {})).toThrow("unknown template");
  });
});

describe("the sender", () => {
  beforeEach(() => {
    ddb.reset();
    ddb.on(UpdateCommand).resolves({});
  });
  afterEach(() => aws?.restore());
  const ref = (messageId: string) => ({ userId: "u1", messageId, sequenceNumber: `seq-${messageId}` });

  it("claims, sends through SES and settles DELIVERED, erasing the payload", async () => {
    const item = await storedMessage();
    claimAnswers(item);
    aws = mockAwsFetch({ "/v2/email/outbound-emails": { body: { MessageId: "m1" } } });
    const outcome = await deliverMessages([ref(item.messageId)]);
    expect(outcome).toEqual({ delivered: 1, skipped: 0, settled: 0, failed: [] });
    const mail = aws.calls("/v2/email/outbound-emails")[0]?.json() as { Destination: { ToAddresses: string[] }; Content: { Simple: { Body: { Text: { Data: string } } } } };
    expect(mail.Destination.ToAddresses).toEqual(["ada@example.com"]);
    expect(mail.Content.Simple.Body.Text.Data).toContain("123456");
    const settle = updates().at(-1);
    expect(settle?.UpdateExpression).toContain("REMOVE payloadEnc");
    expect(settle?.ExpressionAttributeValues?.[":status"]).toBe("DELIVERED");
  });

  it("sends nothing for a message already delivered or claimed by another sender", async () => {
    claimAnswers(new ConditionalCheckFailedException({ message: "no", $metadata: {} }));
    aws = mockAwsFetch();
    expect(await deliverMessages([ref("m1"), ref("m2")])).toEqual({ delivered: 0, skipped: 2, settled: 0, failed: [] });
    expect(aws.seen).toHaveLength(0);
  });

  it("does not send a code that expired while it waited, and settles it EXPIRED", async () => {
    const item = await storedMessage({ notAfter: Date.now() - 1 });
    claimAnswers(item);
    aws = mockAwsFetch();
    expect(await deliverMessages([ref(item.messageId)])).toMatchObject({ delivered: 0, settled: 1 });
    expect(aws.seen).toHaveLength(0);
    expect(updates().at(-1)?.ExpressionAttributeValues?.[":status"]).toBe("EXPIRED");
  });

  it("puts a message back for a retry when SES fails, reporting its record", async () => {
    const item = await storedMessage();
    claimAnswers(item);
    aws = mockAwsFetch({ "/v2/email/outbound-emails": { status: 503, headers: { "x-amzn-errortype": "ServiceUnavailable" } } });
    const outcome = await deliverMessages([ref(item.messageId)]);
    expect(outcome.failed).toEqual([`seq-${item.messageId}`]);
    const release = updates().at(-1);
    expect(release?.ExpressionAttributeValues).toMatchObject({ ":pending": "PENDING", ":error": "ServiceUnavailable" });
  });

  it("settles FAILED, without a retry, what SES refuses for good", async () => {
    const item = await storedMessage();
    claimAnswers(item);
    aws = mockAwsFetch({ "/v2/email/outbound-emails": { status: 400, headers: { "x-amzn-errortype": "MessageRejected:http://internal" } } });
    expect(await deliverMessages([ref(item.messageId)])).toMatchObject({ failed: [], settled: 1 });
    expect(updates().at(-1)?.ExpressionAttributeValues).toMatchObject({ ":status": "FAILED", ":reason": "MessageRejected" });
  });

  it("texts through SNS Publish for the SMS channel", async () => {
    const { encryptField } = await import("#lib/crypto/fields");
    const item = { ...(await outboxItem({ ...user, phoneEnc: await encryptField("+8613812345678", "u1:phone") }, "SMS", "PASSWORD_CHANGED", { at: "12:00" })), status: "SENDING", attempts: 1 };
    claimAnswers(item);
    aws = mockAwsFetch({ "/": { body: "<PublishResponse><PublishResult><MessageId>x</MessageId></PublishResult></PublishResponse>" } });
    expect(await deliverMessages([ref(item.messageId)])).toMatchObject({ delivered: 1 });
    const form = new URLSearchParams(aws.seen[0]?.body);
    expect(form.get("Action")).toBe("Publish");
    expect(form.get("PhoneNumber")).toBe("+8613812345678");
    expect(form.get("Message")).toContain("12:00");
    expect(aws.seen[0]?.headers.authorization).toMatch(/Credential=[^/]+\/\d{8}\/us-east-1\/sns\/aws4_request/);
  });
});
