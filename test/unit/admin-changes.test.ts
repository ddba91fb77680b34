import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { changeGroups, changePermissions } from "#lib/admin/access";
import { setAccountStatus, setLevelByHand } from "#lib/admin/account-controls";
import { encryptField } from "#lib/crypto/fields";
import { noBackoffJitter } from "#test/unit/support/aws";
import { mockAwsFetch } from "#test/unit/support/fetch";

// Staff changes against a mocked table: what is written, in one transaction, and what is refused
// before anything is read.

const ddb = mockClient(DynamoDBDocumentClient);
let emailEnc: string;
beforeAll(async () => {
  emailEnc = await encryptField("alice@example.com", "u1:email");
});
const staff = { userId: "admin1", permissions: [] };
const request = (targetUserId = "u1") => ({ staff, targetUserId, reason: "Seen in the fraud report", requestId: "req-1" });
const user = (overrides: Record<string, unknown> = {}) => ({
  PK: "USER#u1",
  SK: "PROFILE",
  entity: "USER",
  userId: "u1",
  username: "alice",
  emailEnc,
  emailVerified: true,
  status: "ACTIVE",
  level: "NEWBIE",
  identityStatus: "NONE",
  creditScore: 600,
  creditTier: "FAIR",
  points: 0,
  consent: { privacyPolicyVersion: "2026-11", at: "x" },
  createdAt: "2026-11-01T00:00:00.000Z",
  updatedAt: "2026-11-02T00:00:00.000Z",
  ...overrides,
});
const items = () => ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];

beforeEach(() => {
  ddb.reset();
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
});
afterEach(() => ddb.reset());

describe("refused before anything is read", () => {
  it.each([
    ["a self-change", () => setAccountStatus(request("admin1"), "SUSPENDED"), 403, "SELF_CHANGE"],
    ["an unknown permission", () => changePermissions(request(), ["root:all"], []), 400, "UNKNOWN_PERMISSION"],
    ["a permission both granted and revoked", () => changePermissions(request(), ["audit:read"], ["audit:read"]), 400, "CONTRADICTORY_CHANGE"],
    ["revoking account:security", () => changePermissions(request(), [], ["account:security"]), 400, "NOT_REVOCABLE"],
    ["nothing to change", () => changeGroups(request(), [], []), 400, "NOTHING_TO_CHANGE"],
    ["an unknown group", () => changeGroups(request(), ["root"], []), 400, "UNKNOWN_GROUP"],
    ["ADMIN by hand", () => setLevelByHand(request(), "ADMIN"), 400, "ADMIN_NEEDS_APPLICATION"],
  ])("%s", async (_what, run, status, code) => {
    await expect(run()).rejects.toMatchObject({ status, code });
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe("a change", () => {
  it("is one transaction: the user (only if unchanged since read), the audit entry with actor, target and reason, and the user's mail", async () => {
    ddb.on(GetCommand).resolves({ Item: user() });
    const aws = mockAwsFetch({ AdminUserGlobalSignOut: { body: {} } });
    await setAccountStatus(request(), "SUSPENDED");
    const [update, audit, ...rest] = items();
    expect(update?.Update).toMatchObject({ Key: { PK: "USER#u1", SK: "PROFILE" }, ConditionExpression: "attribute_exists(PK) AND #updatedAt = :seen" });
    expect(update?.Update?.ExpressionAttributeValues).toMatchObject({ ":seen": "2026-11-02T00:00:00.000Z" });
    expect(Object.values(update?.Update?.ExpressionAttributeValues ?? {})).toEqual(expect.arrayContaining(["SUSPENDED", expect.stringMatching(/^USERS#SUSPENDED#\d+$/)]));
    expect(update?.Update?.UpdateExpression).toMatch(/REMOVE #r0/); // keptSessionId: no session survives
    expect(audit?.Put?.Item).toMatchObject({ actorId: "admin1", targetUserId: "u1", action: "USER_SUSPENDED", reason: "Seen in the fraud report", requestId: "req-1" });
    expect(rest).toHaveLength(1); // the mail
    expect(aws.calls("AdminUserGlobalSignOut")).toHaveLength(1);
  });

  it("writes nothing when the target is already so (a retried request is harmless)", async () => {
    ddb.on(GetCommand).resolves({ Item: user({ permissionGrants: ["audit:read"] }) });
    const out = await changePermissions(request(), ["audit:read"], []);
    expect(out.permissions).toContain("audit:read");
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it("answers 409 CHANGED_MEANWHILE when the user changed between read and write", async () => {
    noBackoffJitter();
    ddb.on(GetCommand).resolves({ Item: user() });
    ddb.on(TransactWriteCommand).rejects(new TransactionCanceledException({ message: "cancelled", $metadata: {}, CancellationReasons: [{ Code: "ConditionalCheckFailed" }, { Code: "None" }] }));
    await expect(changePermissions(request(), ["audit:read"], [])).rejects.toMatchObject({ status: 409, code: "CHANGED_MEANWHILE" });
  });

  it("answers 404 for a deleted user", async () => {
    ddb.on(GetCommand).resolves({ Item: user({ status: "DELETED" }) });
    await expect(setLevelByHand(request(), "ACTIVE")).rejects.toMatchObject({ status: 404 });
  });

  it("takes a user out of the admin group when their ADMIN level is set by hand, and mirrors the groups to Cognito", async () => {
    ddb.on(GetCommand).resolves({ Item: user({ level: "ADMIN", groups: ["admin", "ops"], cognitoGroups: ["admin", "ops"] }) });
    const aws = mockAwsFetch({ AdminListGroupsForUser: { body: { Groups: [{ GroupName: "admin" }, { GroupName: "ops" }] } }, AdminRemoveUserFromGroup: { body: {} } });
    const out = await setLevelByHand(request(), "ACTIVE", new Date(Date.now() + 86_400_000).toISOString());
    expect(out.level).toBe("ACTIVE");
    expect(Object.values(items()[0]?.Update?.ExpressionAttributeValues ?? {})).toContainEqual(["ops"]);
    expect(aws.calls("AdminRemoveUserFromGroup").map((c) => c.json().GroupName)).toEqual(["admin"]);
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({ UpdateExpression: "SET cognitoGroups = :wanted", ExpressionAttributeValues: { ":wanted": ["ops"] } });
  });

  it("ends an ADMIN level when the admin group is removed", async () => {
    ddb.on(GetCommand).resolves({ Item: user({ level: "ADMIN", groups: ["admin"] }) });
    mockAwsFetch({ AdminListGroupsForUser: { body: { Groups: [] } } });
    const out = await changeGroups(request(), [], ["admin"]);
    expect(out.groups).toEqual([]);
    const values = Object.values(items()[0]?.Update?.ExpressionAttributeValues ?? {});
    expect(values).toContain("ACTIVE");
    expect(items()[1]?.Put?.Item).toMatchObject({ action: "GROUPS_CHANGED", details: { from: "admin", to: "-", level: "ADMIN->ACTIVE" } });
  });
});
