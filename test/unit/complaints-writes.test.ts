import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { settleDue } from "#lib/complaints/sla";
import { transitionComplaint } from "#lib/complaints/transition";
import { type Complaint, toComplaintItem } from "#lib/data/complaint";
import { encryptField } from "#lib/crypto/fields";

// The writes of the process against a mocked table: one transaction per change, conditional on
// the version read; an upheld dispute's behaviour event recorded first and once; the nightly
// step's escalation and automatic close.

const ddb = mockClient(DynamoDBDocumentClient);
const support = { userId: "staff-a", permissions: ["complaints:manage", "complaints:approve"] as never[] };
const at = "2026-12-02T08:00:00.000Z";
let users: Record<string, unknown>[];

beforeAll(async () => {
  users = await Promise.all(
    ["alice", "bob"].map(async (userId) => ({ PK: `USER#${userId}`, SK: "PROFILE", entity: "USER", userId, status: "ACTIVE", emailEnc: await encryptField(`${userId}@example.com`, `${userId}:email`) })),
  );
});

const complaint = (overrides: Partial<Complaint> = {}): Complaint => ({
  complaintId: "0b7f0c8e-6d2e-4a53-9d1b-3f2c4b1a9e10",
  ticketNo: "C-20261202-0001",
  complainantId: "alice",
  respondentId: "bob",
  category: "SERVICE",
  channel: "APP",
  subject: "s",
  description: "d",
  status: "RECEIVED",
  priority: "NORMAL",
  version: 3,
  createdAt: at,
  updatedAt: at,
  firstResponseDueAt: "2026-12-03T08:00:00.000Z",
  resolutionDueAt: "2026-12-09T08:00:00.000Z",
  due: { kind: "FIRST_RESPONSE", at: "2026-12-03T08:00:00.000Z" },
  ...overrides,
});
const stored = (c: Complaint) => ({ Item: toComplaintItem(c) });
const writes = () => ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems ?? []);
const cancelled = (...codes: string[]) => new TransactionCanceledException({ message: "cancelled", $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

beforeEach(() => {
  ddb.reset();
  ddb.on(BatchGetCommand).callsFake((input) => ({ Responses: { [Object.keys(input.RequestItems)[0] as string]: users } }));
  ddb.on(TransactWriteCommand).resolves({});
});
afterEach(() => ddb.reset());

describe("a staff transition", () => {
  it("is one transaction: the complaint only if still at the version read, its timeline entry, the audit entry and the complainant's mail", async () => {
    ddb.on(GetCommand).resolves(stored(complaint()));
    const result = await transitionComplaint(support, complaint().complaintId, { action: "CLASSIFY", note: "Payment issue", category: "PAYMENT", priority: "HIGH" }, "req-1");
    expect(result).toMatchObject({ status: "CLASSIFIED", priority: "HIGH", version: 4 });
    const [put, entry, audit, ...mails] = writes()[0] ?? [];
    expect(put?.Put).toMatchObject({ ConditionExpression: "#version = :seen", ExpressionAttributeValues: { ":seen": 3 }, Item: { status: "CLASSIFIED", version: 4, firstResponseAt: expect.any(String) } });
    expect(put?.Put?.Item?.GSI1PK).toMatch(/^COMPLAINTS#CLASSIFIED#/);
    expect(put?.Put?.Item?.GSI1SK).toMatch(/^1#/); // HIGH
    expect(put?.Put?.Item?.GSI2SK).toMatch(/^2026-12-09T08:00:00.000Z#/); // answered: next is the resolution deadline
    expect(entry?.Put?.Item).toMatchObject({ SK: "ENTRY#000004", kind: "TRANSITION", action: "CLASSIFY", from: "RECEIVED", to: "CLASSIFIED", actorId: "staff-a", note: "Payment issue" });
    expect(audit?.Put?.Item).toMatchObject({ actorId: "staff-a", action: "COMPLAINT_CLASSIFY", targetUserId: "alice", reason: "Payment issue", requestId: "req-1" });
    expect(mails.map((m) => m.Put?.Item?.template)).toEqual(["COMPLAINT_STATUS"]);
  });

  it("answers 409 CHANGED_MEANWHILE when another write came first", async () => {
    ddb.on(GetCommand).resolves(stored(complaint()));
    ddb.on(TransactWriteCommand).rejects(cancelled("ConditionalCheckFailed", "None", "None", "None"));
    await expect(transitionComplaint(support, complaint().complaintId, { action: "REJECT", note: "Spam", reason: "Spam" }, "r")).rejects.toMatchObject({ status: 409, code: "CHANGED_MEANWHILE" });
  });

  it.each([
    ["an illegal action, listing the legal ones", complaint(), { action: "RESOLVE" }, 409, "ILLEGAL_TRANSITION", { legalActions: ["CLASSIFY", "REJECT"], currentStatus: "RECEIVED" }],
    ["a party of the complaint", complaint({ respondentId: "staff-a" }), { action: "CLASSIFY", category: "PAYMENT", priority: "LOW" }, 403, "OWN_COMPLAINT", {}],
    ["a stale expected version", complaint(), { action: "REJECT", reason: "Spam", expectedVersion: 2 }, 409, "CHANGED_MEANWHILE", {}],
    ["approval by the proposer", complaint({ status: "RESOLUTION_PROPOSED", proposal: { resolution: "r", outcome: "UPHELD", proposedBy: "staff-a", proposedAt: at } }), { action: "APPROVE_RESOLUTION" }, 403, "SELF_APPROVAL", {}],
  ])("refuses %s before writing anything", async (_what, c, command, status, code, extra) => {
    ddb.on(GetCommand).resolves(stored(c));
    await expect(transitionComplaint(support, c.complaintId, { note: "because", ...command } as never, "r")).rejects.toMatchObject({ status, code, extra });
    expect(writes()).toEqual([]);
  });
});

describe("resolving an upheld dispute", () => {
  const approved = complaint({
    status: "RESOLUTION_APPROVED",
    mediationStartedAt: at,
    firstResponseAt: at,
    proposal: { resolution: "Deposit refunded", outcome: "UPHELD", proposedBy: "staff-b", proposedAt: at },
    approvedBy: "staff-c",
  });

  it("records the respondent's behaviour event (id = the complaint id) before the complaint's write, and tells both parties", async () => {
    ddb.on(GetCommand).resolves(stored(approved));
    const result = await transitionComplaint(support, approved.complaintId, { action: "RESOLVE", note: "Executed" }, "r");
    expect(result.creditEvent).toEqual({ eventId: approved.complaintId, result: "RECORDED" });
    const [event, resolve] = writes();
    expect(event?.[0]?.Put).toMatchObject({ Item: { PK: "USER#bob", SK: `CREDIT_EVENT#${approved.complaintId}`, eventType: "COMPLAINT_UPHELD" }, ConditionExpression: "attribute_not_exists(PK)" });
    expect(resolve?.[0]?.Put?.Item).toMatchObject({ status: "RESOLVED", creditEvent: { result: "RECORDED" }, due: { kind: "AUTO_CLOSE" } });
    expect(resolve?.slice(3).map((m) => m.Put?.Item?.template)).toEqual(["COMPLAINT_STATUS", "COMPLAINT_DECIDED"]);
  });

  it("sent again after losing a race, finds the event recorded (DUPLICATE) and counts nothing twice", async () => {
    ddb.on(GetCommand).resolves(stored(approved));
    ddb.on(TransactWriteCommand)
      .resolvesOnce({}) // the event, recorded
      .rejectsOnce(cancelled("ConditionalCheckFailed", "None")) // the RESOLVE lost to a concurrent write
      .rejectsOnce(cancelled("ConditionalCheckFailed", "None", "None")) // sent again: the event id is taken
      .resolves({});
    await expect(transitionComplaint(support, approved.complaintId, { action: "RESOLVE", note: "Executed" }, "r")).rejects.toMatchObject({ code: "CHANGED_MEANWHILE" });
    const again = await transitionComplaint(support, approved.complaintId, { action: "RESOLVE", note: "Executed" }, "r");
    expect(again.creditEvent).toEqual({ eventId: approved.complaintId, result: "DUPLICATE" });
    expect(writes().at(-1)?.[0]?.Put?.Item).toMatchObject({ status: "RESOLVED" });
  });

  it("a NOT_UPHELD outcome records no event", async () => {
    ddb.on(GetCommand).resolves(stored({ ...approved, proposal: { ...(approved.proposal as NonNullable<Complaint["proposal"]>), outcome: "NOT_UPHELD" } }));
    const result = await transitionComplaint(support, approved.complaintId, { action: "RESOLVE", note: "Executed" }, "r");
    expect(result.creditEvent).toBeUndefined();
    expect(writes()).toHaveLength(1);
  });
});

describe("the nightly SLA step", () => {
  it("escalates a missed first response: priority up, an ESCALATED entry, the next deadline indexed", async () => {
    ddb.on(GetCommand).resolves(stored(complaint()));
    expect(await settleDue(complaint().complaintId, "2026-12-04T00:00:00.000Z")).toBe("escalated");
    const [put, entry] = writes()[0] ?? [];
    expect(put?.Put?.Item).toMatchObject({ priority: "HIGH", version: 4, escalations: [{ kind: "FIRST_RESPONSE", priorityBefore: "NORMAL" }], due: { kind: "RESOLUTION" } });
    expect(entry?.Put?.Item).toMatchObject({ kind: "ESCALATED", actorRole: "SYSTEM", details: { missed: "FIRST_RESPONSE", priorityBefore: "NORMAL", priorityAfter: "HIGH" } });
  });

  it("closes a complaint resolved 7 days ago, tells the complainant, and leaves the SLA index", async () => {
    const resolved = complaint({ status: "RESOLVED", resolvedAt: at, firstResponseAt: at, due: { kind: "AUTO_CLOSE", at: "2026-12-09T08:00:00.000Z" } });
    ddb.on(GetCommand).resolves(stored(resolved));
    expect(await settleDue(resolved.complaintId, "2026-12-10T00:00:00.000Z")).toBe("closed");
    const [put, entry, ...mails] = writes()[0] ?? [];
    expect(put?.Put?.Item).toMatchObject({ status: "CLOSED", closedBy: "SYSTEM" });
    expect(put?.Put?.Item).not.toHaveProperty("GSI2PK");
    expect(entry?.Put?.Item).toMatchObject({ action: "CLOSE", actorRole: "SYSTEM" });
    expect(mails.map((m) => m.Put?.Item?.template)).toEqual(["COMPLAINT_STATUS"]);
  });

  it("skips a complaint whose deadline moved on since the index was read", async () => {
    ddb.on(GetCommand).resolves(stored(complaint({ due: { kind: "RESOLUTION", at: "2026-12-09T08:00:00.000Z" }, firstResponseAt: at })));
    expect(await settleDue(complaint().complaintId, "2026-12-04T00:00:00.000Z")).toBe("skipped");
    expect(writes()).toEqual([]);
  });
});
