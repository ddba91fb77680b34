import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import type { IncidentRecord } from "#lib/data/incident";
import { liftSuspensions, suspendAccounts } from "#lib/incidents/accounts";
import type { StepContext } from "#lib/incidents/step";
import { mockAwsFetch } from "#test/unit/support/fetch";

// Suspension and its lifting against a mocked table: what is written for each kind of user, so
// that a resolve frees exactly the users this incident suspended and nobody else.

const ddb = mockClient(DynamoDBDocumentClient);
const ID = "inc-1";

const user = (userId: string, overrides: Record<string, unknown> = {}) => ({
  PK: `USER#${userId}`,
  SK: "PROFILE",
  entity: "USER",
  userId,
  username: userId,
  status: "ACTIVE",
  level: "NEWBIE",
  createdAt: "2026-11-01T00:00:00.000Z",
  updatedAt: "2026-11-02T00:00:00.000Z",
  ...overrides,
});
const target = (userId: string, effects: Record<string, unknown> = {}) => ({ PK: `INCIDENT#${ID}`, SK: `USER#${userId}`, entity: "INCIDENT_TARGET", incidentId: ID, userId, selectedAt: "x", effects });

const context = (type: IncidentRecord["type"] = "FRAUD_RING"): StepContext => ({
  incident: { incidentId: ID, type, details: { summary: "ring of fake renters" }, requestedBy: "staff-1", resolution: { requestedBy: "staff-2", requestedAt: "x", summary: "closed" } } as IncidentRecord,
  phase: "respond",
  lease: { incidentId: ID, holder: "me" },
  actor: "staff-1",
  counts: {},
  timeLeft: () => 60_000,
  saveProgress: async () => undefined,
});

function table(users: Record<string, unknown>[], targets: Record<string, unknown>[]) {
  ddb.on(QueryCommand).resolves({ Items: targets });
  ddb.on(GetCommand).callsFake(async (input) => ({ Item: users.find((u) => u.PK === input.Key.PK) }));
  ddb.on(TransactWriteCommand).resolves({});
}

/** The user-item update each transaction carried, by user. */
const userWrites = () =>
  Object.fromEntries(
    ddb.commandCalls(TransactWriteCommand).map((call) => {
      const items = call.args[0].input.TransactItems ?? [];
      const record = items[0]?.Update;
      const userId = String(record?.Key?.SK).replace("USER#", "");
      const update = items.find((i) => String(i.Update?.Key?.PK).startsWith("USER#"))?.Update;
      return [userId, { effect: (record?.ExpressionAttributeValues?.[":effect"] as { outcome: string }).outcome, update }];
    }),
  );

beforeEach(() => {
  ddb.reset();
  mockAwsFetch();
});

describe("suspending the users of an incident", () => {
  it("suspends an active user under this incident, joins another incident's hold, and leaves a staff suspension alone", async () => {
    table(
      [user("active"), user("staff", { status: "SUSPENDED" }), user("held", { status: "SUSPENDED", incidentSuspensions: new Set(["other"]) })],
      [target("active"), target("staff"), target("held"), target("done", { "suspend-accounts": { at: "x", outcome: "SUSPENDED" } })],
    );
    const result = await suspendAccounts.run(context());
    expect(result).toEqual({ done: true, counts: { SUSPENDED: 3, ALREADY_SUSPENDED: 1 } });
    const writes = userWrites();
    expect(Object.keys(writes).sort()).toEqual(["active", "held", "staff"]); // "done" is not written again
    expect(writes.active?.update?.UpdateExpression).toMatch(/#status = :suspended.*tokensValidAfter = :mark.*incidentSuspensions = :ids.*REMOVE keptSessionId/);
    expect(writes.active?.update?.ExpressionAttributeValues?.[":ids"]).toEqual(new Set([ID]));
    expect(writes.held?.update?.UpdateExpression).toMatch(/ADD incidentSuspensions :ids/);
    expect(writes.staff).toEqual({ effect: "ALREADY_SUSPENDED", update: undefined });
  });
});

describe("lifting this incident's suspensions", () => {
  it("reactivates only users this incident alone holds; releases a shared hold; touches neither staff's suspensions nor users it never suspended", async () => {
    const ours = { "suspend-accounts": { at: "x", outcome: "SUSPENDED" } };
    table(
      [
        user("only-us", { status: "SUSPENDED", incidentSuspensions: new Set([ID]) }),
        user("shared", { status: "SUSPENDED", incidentSuspensions: new Set([ID, "other"]) }),
        user("taken-over", { status: "SUSPENDED" }), // staff suspended them for good meanwhile
        user("staff-before", { status: "SUSPENDED" }),
      ],
      [target("only-us", ours), target("shared", ours), target("taken-over", ours), target("staff-before", { "suspend-accounts": { at: "x", outcome: "ALREADY_SUSPENDED" } })],
    );
    const result = await liftSuspensions.run({ ...context(), phase: "resolve" });
    expect(result).toEqual({ done: true, counts: { REACTIVATED: 1, RELEASED: 1, NOT_HELD: 1, NOT_APPLICABLE: 1 } });
    const writes = userWrites();
    expect(writes["only-us"]?.update?.UpdateExpression).toMatch(/#status = :active.*REMOVE incidentSuspensions/);
    expect(writes["only-us"]?.update?.ConditionExpression).toContain("size(incidentSuspensions) = :one");
    expect(writes.shared?.update?.UpdateExpression).toMatch(/DELETE incidentSuspensions :ids/);
    expect(writes["taken-over"]).toEqual({ effect: "NOT_HELD", update: undefined });
    expect(writes["staff-before"]).toBeUndefined();
  });
});
