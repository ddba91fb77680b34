import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type AuditEvent, auditPut, listAudit, recordAudit } from "#lib/audit/trail";
import { freezeClock, NOW, noBackoffJitter } from "#test/unit/support/aws";

const ddb = mockClient(DynamoDBDocumentClient);

const event = (n = 1, overrides: Partial<AuditEvent> = {}): AuditEvent => ({
  actorId: "staff-1",
  action: "USER_PII_VIEWED",
  targetUserId: `u${n}`,
  requestId: `req-${n}`,
  ...overrides,
});
const at = new Date(NOW).toISOString();
/** A stored entry as a Query returns it. */
const entryItem = (n: number, when: string) => ({
  PK: "AUDIT#USER#u1",
  SK: `${when}#e${n}`,
  GSI1PK: "AUDIT#ACTOR#staff-1",
  GSI1SK: `${when}#e${n}`,
  entity: "AUDIT",
  entryId: `e${n}`,
  at: when,
  ...event(1),
});
const writes = () => ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.["unit-table"] ?? []);

beforeEach(() => {
  ddb.reset();
  freezeClock();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("auditPut", () => {
  it("is a conditional transaction Put that never overwrites an entry, keyed under the target user and (GSI1) the actor", () => {
    // Act
    const put = auditPut(event(1, { reason: "ticket 42", subject: "sub-9", details: { decision: "APPROVED", score: 3, urgent: false } }));

    // Assess
    const entryId = String(put.Put.Item.entryId);
    expect(entryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(put).toEqual({
      Put: {
        TableName: "unit-table",
        Item: {
          PK: "AUDIT#USER#u1",
          SK: `${at}#${entryId}`,
          GSI1PK: "AUDIT#ACTOR#staff-1",
          GSI1SK: `${at}#${entryId}`,
          entity: "AUDIT",
          entryId,
          at,
          actorId: "staff-1",
          action: "USER_PII_VIEWED",
          targetUserId: "u1",
          requestId: "req-1",
          reason: "ticket 42",
          subject: "sub-9",
          details: { decision: "APPROVED", score: 3, urgent: false },
        },
        ConditionExpression: "attribute_not_exists(PK)",
      },
    });
  });

  it("gives two entries of the same instant different keys", () => {
    const [a, b] = [auditPut(event()), auditPut(event())];
    expect(a.Put.Item.SK).not.toBe(b.Put.Item.SK);
  });
});

describe("recordAudit", () => {
  it("writes every entry as a Put, 25 per BatchWriteItem", async () => {
    // Prepare
    ddb.on(BatchWriteCommand).resolves({});

    // Act
    await recordAudit(Array.from({ length: 60 }, (_, i) => event(i)));

    // Assess
    expect(writes().map((w) => w.length)).toEqual([25, 25, 10]);
    const items = writes()
      .flat()
      .map((r) => r.PutRequest?.Item);
    expect(new Set(items.map((i) => i?.PK))).toEqual(new Set(Array.from({ length: 60 }, (_, i) => `AUDIT#USER#u${i}`)));
    expect(items.every((i) => i?.entity === "AUDIT" && i.GSI1PK === "AUDIT#ACTOR#staff-1" && i.at === at)).toBe(true);
  });

  it("retries the entries DynamoDB left unprocessed, and only those", async () => {
    // Prepare
    noBackoffJitter();
    ddb
      .on(BatchWriteCommand)
      .callsFakeOnce(async (input: { RequestItems: Record<string, unknown[]> }) => ({ UnprocessedItems: { "unit-table": input.RequestItems["unit-table"]?.slice(1, 3) } }))
      .resolves({});

    // Act
    await recordAudit([event(1), event(2), event(3)]);

    // Assess
    expect(writes().map((w) => w.map((r) => r.PutRequest?.Item?.targetUserId))).toEqual([
      ["u1", "u2", "u3"],
      ["u2", "u3"],
    ]);
  });

  it("sends nothing for no entries", async () => {
    await recordAudit([]);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe("listAudit", () => {
  it("lists the entries about a user from the user's audit partition, newest first", async () => {
    // Prepare
    ddb.on(QueryCommand).resolves({ Items: [entryItem(2, "2026-11-20T11:00:00.000Z"), entryItem(1, "2026-11-19T09:00:00.000Z")] });

    // Act
    const page = await listAudit({ userId: "u1" }, 2);

    // Assess
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: "unit-table",
      KeyConditionExpression: "PK = :pk",
      ExpressionAttributeValues: { ":pk": "AUDIT#USER#u1" },
      ScanIndexForward: false,
      Limit: 2,
      ExclusiveStartKey: undefined,
    });
    expect(page).toEqual({
      items: [
        { entryId: "e2", at: "2026-11-20T11:00:00.000Z", actorId: "staff-1", action: "USER_PII_VIEWED", targetUserId: "u1", requestId: "req-1" },
        { entryId: "e1", at: "2026-11-19T09:00:00.000Z", actorId: "staff-1", action: "USER_PII_VIEWED", targetUserId: "u1", requestId: "req-1" },
      ],
      nextCursor: null,
    });
  });

  it("lists the entries by an actor from GSI1, newest first", async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await listAudit({ actorId: "staff-1" }, 10);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: "unit-table",
      IndexName: "GSI1",
      KeyConditionExpression: "GSI1PK = :pk",
      ExpressionAttributeValues: { ":pk": "AUDIT#ACTOR#staff-1" },
      ScanIndexForward: false,
      Limit: 10,
      ExclusiveStartKey: undefined,
    });
  });

  it("continues from its own cursor where the previous page ended", async () => {
    // Prepare
    const lastKey = { PK: "AUDIT#USER#u1", SK: "2026-11-19T09:00:00.000Z#e1" };
    ddb.on(QueryCommand).resolvesOnce({ Items: [entryItem(1, "2026-11-19T09:00:00.000Z")], LastEvaluatedKey: lastKey }).resolves({ Items: [] });

    // Act
    const first = await listAudit({ userId: "u1" }, 1);
    const second = await listAudit({ userId: "u1" }, 1, first.nextCursor ?? undefined);

    // Assess
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(first.nextCursor).not.toContain("AUDIT#USER"); // opaque
    expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual(lastKey);
    expect(second.nextCursor).toBeNull();
  });

  it.each([
    ["the same id's listing by actor", { actorId: "u1" }],
    ["another user's listing", { userId: "u2" }],
  ] as const)("refuses a user listing's cursor on %s with 400 INVALID_CURSOR, without any Query", async (_name, other) => {
    // Prepare
    ddb.on(QueryCommand).resolves({ Items: [entryItem(1, at)], LastEvaluatedKey: { PK: "AUDIT#USER#u1", SK: `${at}#e1` } });
    const cursor = (await listAudit({ userId: "u1" }, 1)).nextCursor ?? "";
    ddb.resetHistory();

    // Act & Assess
    await expect(listAudit(other, 1, cursor)).rejects.toMatchObject({ status: 400, code: "INVALID_CURSOR" });
    expect(ddb.calls()).toHaveLength(0);
  });

  it("refuses an actor listing's cursor on the target listing of the same id", async () => {
    ddb.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: { GSI1PK: "AUDIT#ACTOR#staff-1", GSI1SK: "x", PK: "p", SK: "s" } });
    const cursor = (await listAudit({ actorId: "staff-1" }, 1)).nextCursor ?? "";
    ddb.resetHistory();
    await expect(listAudit({ userId: "staff-1" }, 1, cursor)).rejects.toMatchObject({ status: 400, code: "INVALID_CURSOR" });
    expect(ddb.calls()).toHaveLength(0);
  });

  it("refuses a tampered cursor, without any Query", async () => {
    // Prepare: the same MAC over a payload that points into another user's partition.
    ddb.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: { PK: "AUDIT#USER#u1", SK: `${at}#e1` } });
    const cursor = (await listAudit({ userId: "u1" }, 1)).nextCursor ?? "";
    const [, mac] = cursor.split(".");
    const forged = `${Buffer.from(JSON.stringify({ PK: "AUDIT#USER#u2", SK: `${at}#e1` })).toString("base64url")}.${mac}`;
    ddb.resetHistory();

    // Act & Assess
    await expect(listAudit({ userId: "u1" }, 1, forged)).rejects.toMatchObject({ status: 400, code: "INVALID_CURSOR" });
    expect(ddb.calls()).toHaveLength(0);
  });
});
