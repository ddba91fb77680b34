import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { resetConfigForTests } from "#lib/config";
import { policyOf } from "#lib/data/login-policy";
import { consumeIncidentMessages } from "#lib/incidents/consumer";
import type { runIncident } from "#lib/incidents/engine";
import { fingerprintOf, type OpenMessage, parseIncidentMessage } from "#lib/incidents/message";
import { mockAwsFetch } from "#test/unit/support/fetch";

// The incidents queue contract and its consumer in-process (serverless-offline-sqs does not
// emulate ReportBatchItemFailures): a poison message is dead-lettered with its reason and
// acknowledged, a transient failure is reported for that message only, the rest of the batch goes on.

const ddb = mockClient(DynamoDBDocumentClient);
const ID = "0b7f5a52-6a5e-4a43-9d5c-6a1f0c7d2e11";
const open = (overrides: Record<string, unknown> = {}) => ({
  incidentId: ID,
  type: "ACCOUNT_COMPROMISE",
  severity: "HIGH",
  userIds: ["u1", "u2"],
  details: { summary: "Phished accounts reported by support" },
  requestedBy: "staff-1",
  ...overrides,
});

describe("the incidents message contract", () => {
  it("accepts each type's message, and the control messages", () => {
    expect(parseIncidentMessage(JSON.stringify(open()))).toMatchObject({ ok: true, message: { action: "OPEN", type: "ACCOUNT_COMPROMISE", userIds: ["u1", "u2"] } });
    const stuffing = { ...open({ type: "CREDENTIAL_STUFFING", details: { summary: "botnet", sourceIps: ["203.0.113.7", "2001:db8::1"], periodMinutes: 30 } }) } as Record<string, unknown>;
    delete stuffing.userIds;
    expect(parseIncidentMessage(JSON.stringify(stuffing)).ok).toBe(true);
    const breach = open({ type: "DATA_BREACH", userIds: undefined, details: { summary: "backup leaked", dataCategories: ["EMAIL", "PASSWORD"], credentialsInvolved: true, affected: { registeredBefore: "2026-01-01T00:00:00Z" } } });
    expect(parseIncidentMessage(JSON.stringify(breach))).toMatchObject({ ok: true, message: { details: { credentialsInvolved: true } } });
    expect(parseIncidentMessage(JSON.stringify({ action: "RESOLVE", incidentId: ID, requestedBy: "staff-1", summary: "All clear" })).ok).toBe(true);
    expect(parseIncidentMessage(JSON.stringify({ action: "CONTINUE", incidentId: ID, requestedBy: "staff-1" })).ok).toBe(true);
  });

  it("refuses what a runbook cannot act on, naming fields and rules but never values", () => {
    const reasonOf = (body: unknown) => {
      const parsed = parseIncidentMessage(typeof body === "string" ? body : JSON.stringify(body));
      expect(parsed.ok).toBe(false);
      return parsed.ok ? "" : parsed.reason;
    };
    expect(reasonOf("{not json")).toBe("body is not JSON");
    expect(reasonOf(open({ type: "MEteor_STRIKE" }))).toMatch(/type/);
    expect(reasonOf(open({ userIds: [] }))).toMatch(/userIds/);
    expect(reasonOf(open({ userID: ["u1"] }))).toMatch(/unrecognized_keys/); // a typo is not ignored
    expect(reasonOf(open({ incidentId: "secret-value-123" }))).not.toContain("secret-value-123");
    // A breach names its users or a registration window, never both or neither.
    expect(reasonOf(open({ type: "DATA_BREACH", details: { summary: "x leaked", dataCategories: ["EMAIL"], affected: {} } }))).toMatch(/userIds/);
    expect(reasonOf({ action: "RESOLVE", incidentId: ID, requestedBy: "staff-1" })).toMatch(/summary/);
  });

  it("fingerprints what is asked, so a redelivery matches and another incident under the same id does not", () => {
    const a = parseIncidentMessage(JSON.stringify(open()));
    const b = parseIncidentMessage(JSON.stringify(open()));
    const c = parseIncidentMessage(JSON.stringify(open({ userIds: ["u3"] })));
    const print = (p: typeof a) => (p.ok ? fingerprintOf(p.message as OpenMessage) : "");
    expect(print(a)).toBe(print(b));
    expect(print(a)).not.toBe(print(c));
  });
});

describe("the login policy", () => {
  it("applies the lowest limits of the live tightenings and every live block, ignoring expired ones", () => {
    const now = 1_000_000;
    const policy = policyOf(
      {
        "tighten#a": { maxFailuresPerAccount: 3, maxFailuresPerIp: 20, until: now + 1 },
        "tighten#b": { maxFailuresPerAccount: 4, maxFailuresPerIp: 10, until: now + 1 },
        "tighten#old": { maxFailuresPerAccount: 1, maxFailuresPerIp: 1, until: now },
        "block#a": { ipHashes: ["h1"], until: now + 5 },
        "block#old": { ipHashes: ["h2"], until: now - 1 },
      },
      now,
    );
    expect(policy).toEqual({ maxFailuresPerAccount: 3, maxFailuresPerIp: 10, blockedIps: new Map([["h1", now + 5]]) });
  });
});

/** The consumer sends through the lean SQS adapter (lib/clients/sqs-send.ts): what it put on which queue. */
let sqs: ReturnType<typeof mockAwsFetch> | undefined;
const sentMessages = () => (sqs?.calls("SendMessage") ?? []).map((r) => r.json() as { QueueUrl?: string; MessageBody?: string; DelaySeconds?: number; MessageAttributes?: Record<string, { StringValue?: string }> });

describe("the incidents consumer", () => {
  afterAll(() => sqs?.restore());

  beforeEach(() => {
    ddb.reset();
    sqs?.restore();
    sqs = mockAwsFetch({ SendMessage: { body: { MessageId: "sent" } } });
    process.env.INCIDENTS_QUEUE_URL = "http://sqs.local/q/incidents";
    process.env.INCIDENTS_DLQ_URL = "http://sqs.local/q/incidents-dlq";
    resetConfigForTests();
  });

  it("dead-letters a poison message, reports only the transient failure, and carries on with the rest", async () => {
    const other = "7d3b1f0e-1c1a-4a52-8a44-0f2f4c8b9a77";
    const third = "1f8e2b6a-33c2-4b0e-9f0e-1d2c3b4a5f60";
    ddb.on(TransactWriteCommand).callsFake(async (input) => {
      const put = input.TransactItems?.[0]?.Put?.Item as Record<string, unknown> | undefined;
      if (put?.incidentId === other) throw Object.assign(new Error("throttled"), { name: "ProvisionedThroughputExceededException" });
      return {};
    });
    ddb.on(GetCommand).resolves({});
    const ran: string[] = [];
    const run: typeof runIncident = async (incidentId) => (ran.push(incidentId), incidentId === third ? { kind: "continue", delaySeconds: 3 } : { kind: "done", status: "MITIGATED" });

    const outcome = await consumeIncidentMessages(
      [
        { messageId: "m-1", body: JSON.stringify(open()) },
        { messageId: "m-2", body: '{"incidentId": "x", oops' },
        { messageId: "m-3", body: JSON.stringify(open({ incidentId: other })) },
        { messageId: "m-4", body: JSON.stringify(open({ incidentId: third })) },
      ],
      { deadline: Date.now() + 10_000, run },
    );

    expect(outcome.failedMessageIds).toEqual(["m-3"]);
    expect(outcome.outcomes).toMatchObject({ done: 1, continue: 1, rejected: 1 });
    expect(ran.sort()).toEqual([ID, third].sort());
    const sent = sentMessages();
    const dead = sent.find((m) => m.QueueUrl?.endsWith("incidents-dlq"));
    expect(dead?.MessageAttributes?.rejectedReason?.StringValue).toBe("body is not JSON");
    // The runbook hands itself over with a delayed CONTINUE message.
    const next = sent.find((m) => m.QueueUrl?.endsWith("/incidents"));
    expect(JSON.parse(next?.MessageBody ?? "{}")).toEqual({ action: "CONTINUE", incidentId: third, requestedBy: "staff-1" });
    expect(next?.DelaySeconds).toBe(3);
  });

  it("dead-letters a message reusing an incident id for another incident", async () => {
    ddb.on(TransactWriteCommand).rejects(new TransactionCanceledException({ message: "cancelled", $metadata: {}, CancellationReasons: [{ Code: "ConditionalCheckFailed" }, { Code: "None" }] }));
    ddb.on(GetCommand).resolves({ Item: { entity: "INCIDENT", incidentId: ID, fingerprint: "another" } });
    const outcome = await consumeIncidentMessages([{ messageId: "m-1", body: JSON.stringify(open()) }], { deadline: Date.now() + 10_000, run: async () => ({ kind: "busy" }) });
    expect(outcome.failedMessageIds).toEqual([]);
    expect(sentMessages()[0]?.MessageAttributes?.rejectedReason?.StringValue).toBe("incidentId: already used by another incident");
  });
});
