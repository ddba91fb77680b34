import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { evaluateDueLifecycles, evaluateUser } from "#lib/lifecycle/evaluate";
import { conditionFailed } from "./support/aws";

// The nightly step `lifecycle` against a mocked table: what it reads for a due user, what it
// writes (the user's lifecycle only when it changed; the due entry moved, conditional on the one
// read), and that an entry re-marked by activity meanwhile is left for the next night.

const ddb = mockClient(DynamoDBDocumentClient);
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const at = (days: number) => new Date(T0 + days * DAY).toISOString();
const user = (overrides: Record<string, unknown> = {}) => ({
  PK: "USER#u1", SK: "PROFILE", entity: "USER", userId: "u1", username: "ada", status: "ACTIVE", level: "NEWBIE", identityStatus: "NONE",
  creditScore: 600, creditTier: "FAIR", points: 0, createdAt: at(0), updatedAt: at(0), lastLoginAt: at(1), ...overrides,
});
const counters = { PK: "USER#u1", SK: "CREDIT", entity: "CREDIT_COUNTERS", "activeDays.2026-01": new Set([at(20).slice(0, 10)]) };
const updates = () => ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);

beforeEach(() => {
  ddb.reset();
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(UpdateCommand).resolves({});
});
afterEach(() => ddb.reset());

describe("evaluating a due user", () => {
  it("stores the stage on the user item (never updatedAt) and moves the entry to the next change", async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { "unit-table": [user(), counters] } });
    expect(await evaluateUser("u1", `${at(8)}#u1`, at(40))).toBe("changed");
    const [stored, moved] = updates();
    expect(stored?.UpdateExpression).toBe("SET lifecycle = :l");
    expect(stored?.ExpressionAttributeValues?.[":l"]).toMatchObject({ stage: "ACTIVE", churnRisk: false, lastActiveAt: at(20) });
    expect(stored?.ConditionExpression).toBe("#status IN (:active, :suspended)");
    expect(moved?.ConditionExpression).toBe("GSI2SK = :seen");
    expect(moved?.ExpressionAttributeValues).toMatchObject({ ":seen": `${at(8)}#u1`, ":at": new Date(T0 + 50 * DAY + 1).toISOString() });
  });

  it("writes nothing to the user when nothing changed, only the entry", async () => {
    const lifecycle = { stage: "ACTIVE", churnRisk: false, reasons: [], lastActiveAt: at(20), evaluatedAt: at(30) };
    ddb.on(BatchGetCommand).resolves({ Responses: { "unit-table": [user({ lifecycle }), counters] } });
    expect(await evaluateUser("u1", `${at(30)}#u1`, at(40))).toBe("unchanged");
    expect(updates().map((u) => u.Key?.SK)).toEqual(["LIFECYCLE_DUE"]);
  });

  it("takes an unverified or deleted user out of the index", async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { "unit-table": [user({ status: "DELETED" })] } });
    expect(await evaluateUser("u1", `${at(1)}#u1`, at(2))).toBe("skipped");
    expect(updates()).toHaveLength(1);
    expect(updates()[0]?.UpdateExpression).toBe("REMOVE GSI2PK, GSI2SK, dueAt");
  });

  it("leaves an entry re-marked by activity meanwhile (the next night evaluates it)", async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { "unit-table": [user(), counters] } });
    ddb.on(UpdateCommand, { Key: { PK: "USER#u1", SK: "LIFECYCLE_DUE" } }).rejects(conditionFailed());
    await expect(evaluateUser("u1", `${at(8)}#u1`, at(40))).resolves.toBe("changed");
  });
});

describe("the step", () => {
  it("reads the 16 shards of the due index up to asOf and fails (alarm) when a user could not be evaluated", async () => {
    ddb.on(QueryCommand, { IndexName: "GSI2" }).resolves({ Items: [] });
    ddb.on(QueryCommand, { IndexName: "GSI2", ExpressionAttributeValues: { ":pk": "LIFECYCLE_DUE#3", ":due": `${at(40)}#~` } }).resolves({ Items: [{ GSI2SK: `${at(8)}#u1` }] });
    ddb.on(BatchGetCommand).rejects(new Error("boom"));
    await expect(evaluateDueLifecycles(at(40))).rejects.toThrow(/1 of 1 due user/);
    expect(ddb.commandCalls(QueryCommand).filter((c) => c.args[0].input.IndexName === "GSI2")).toHaveLength(16);
  });
});
