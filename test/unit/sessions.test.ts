import { createHash } from "node:crypto";
import { type AttributeValue, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { encryptField } from "#lib/crypto/fields";
import { TransactionCancelled } from "#lib/data/transactions";
import type { AppError } from "#lib/errors";
import { logout, newRefreshToken, refresh, revokeAllSessions } from "#lib/identity/sessions";
import { freezeClock, NOW, noBackoffJitter } from "#test/unit/support/aws";
import { type Answer, cognitoError, mockAwsFetch } from "#test/unit/support/fetch";

// Sessions with refresh tokens of our own that rotate: refresh, replay detection, logout and the
// revocation of all of a user's sessions. Cognito is reached through the lean adapter (fetch, mocked).
const ddb = mockClient(DynamoDBDocumentClient);
let aws: ReturnType<typeof mockAwsFetch>;

const sha256 = (value: string) => createHash("sha256").update(value).digest("base64url");
const PRESENTED = "o7Qm2zV1c0bYJxkq3mS8nA4tE6uR9wP5lH2gF1dC0aZ"; // a refresh token of ours, as a client holds it
const COGNITO_REFRESH = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.cognito-refresh-of-s1";
const userKey = { PK: "USER#u1", SK: "PROFILE" };
const sessionKey = { PK: "USER#u1", SK: "SESSION#s1" };
const lookupKey = (hash: string) => ({ PK: `REFRESH#${hash}`, SK: "REFRESH" });
const SESSION_START = NOW - 3_600_000;
const tokenItems = [
  { PK: "USER#u1", SK: "TOKEN#a" },
  { PK: "USER#u1", SK: "TOKEN#b" },
];

const user = (overrides: Record<string, unknown> = {}) => ({ ...userKey, entity: "USER", userId: "u1", username: "alice", status: "ACTIVE", ...overrides });
const session = async (overrides: Record<string, unknown> = {}) => ({
  ...sessionKey,
  entity: "SESSION",
  sessionId: "s1",
  createdAt: SESSION_START,
  refreshHash: sha256(PRESENTED),
  refreshGeneration: 3,
  cognitoRefreshEnc: await encryptField(COGNITO_REFRESH, "u1:refresh"),
  ip: "203.0.113.7",
  userAgent: "Mozilla/5.0",
  ...overrides,
});
const lookup = (overrides: Record<string, unknown> = {}) =>
  ddb.on(GetCommand, { Key: lookupKey(sha256(PRESENTED)) }).resolves({ Item: { ...lookupKey(sha256(PRESENTED)), entity: "REFRESH", userId: "u1", sessionId: "s1", ...overrides } });
const stored = (...items: Record<string, unknown>[]) => ddb.on(BatchGetCommand).resolves({ Responses: { "unit-table": items } });
const cancelledAt = (index: number, count = 5) =>
  new TransactionCanceledException({
    message: "Transaction cancelled",
    $metadata: {},
    CancellationReasons: Array.from({ length: count }, (_, i): { Code: string; Item?: Record<string, AttributeValue> } => ({ Code: i === index ? "ConditionalCheckFailed" : "None" })),
  });
const refusal = async (promise: Promise<unknown>) => (await promise.then(() => expect.unreachable("not refused"), (e: unknown) => e)) as AppError;
/** Every DynamoDB call in order, as "<command> <sort key>" (the key, or the first item's, where there is one). */
const trail = () =>
  ddb.calls().map((c) => {
    const input = c.args[0].input as { Key?: { SK: string }; TransactItems?: unknown[] };
    return `${c.args[0].constructor.name}${input.Key ? ` ${input.Key.SK}` : ""}`;
  });

/** An access token as Cognito would issue it (with jti and exp); the module only decodes it, so any key signs it. */
const accessToken = (jti: string, exp: number) =>
  new SignJWT({ token_use: "access", username: "u1", client_id: "unit-client" })
    .setProtectedHeader({ alg: "HS256" })
    .setJti(jti)
    .setIssuedAt(Math.floor(NOW / 1000))
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode("not-the-point-of-this-test-0123456789"));
const EXP = Math.floor(NOW / 1000) + 900;
const tokens = (access: string): Answer => ({ body: { AuthenticationResult: { AccessToken: access, IdToken: "id.token.x", ExpiresIn: 900, TokenType: "Bearer", RefreshToken: "cognito-rotated" } } });

beforeEach(() => {
  ddb.reset();
  freezeClock();
});
afterEach(() => {
  aws?.restore();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("newRefreshToken", () => {
  it("is 256 random bits in 43 base64url characters, with its SHA-256 digest, and never repeats", () => {
    const made = Array.from({ length: 500 }, () => newRefreshToken());
    for (const { token, hash } of made) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(hash).toBe(sha256(token));
    }
    expect(new Set(made.map((m) => m.token)).size).toBe(500);
  });
});

describe("refresh", () => {
  const ready = async (items?: Record<string, unknown>[]) => {
    lookup();
    stored(...(items ?? [user(), await session()]));
    aws = mockAwsFetch({ InitiateAuth: tokens(await accessToken("jti-new", EXP)), RevokeToken: { body: {} } });
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: tokenItems });
  };

  it("rotates: a new refresh token of ours, the session's Cognito refresh token for new access tokens, and one transaction that records it all", async () => {
    // Prepare
    await ready();

    // Act
    const response = await refresh(PRESENTED);

    // Assess: the answer carries Cognito's access and id tokens, and a refresh token of ours, new.
    const next = String(response.refreshToken);
    expect(response).toEqual({ accessToken: await accessToken("jti-new", EXP), idToken: "id.token.x", refreshToken: next, expiresIn: 900, tokenType: "Bearer" });
    expect(next).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(next).not.toBe(PRESENTED);
    // The reads: the lookup by the digest, then user and session, all consistent.
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({ TableName: "unit-table", Key: lookupKey(sha256(PRESENTED)), ConsistentRead: true });
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems).toEqual({ "unit-table": { Keys: [userKey, sessionKey], ConsistentRead: true } });
    expect(aws.calls("InitiateAuth").map((r) => r.json())).toEqual([{ ClientId: "unit-client", AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: COGNITO_REFRESH } }]);
    // The one write.
    expect(ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems)).toEqual([
      [
        {
          Update: {
            TableName: "unit-table",
            Key: sessionKey,
            UpdateExpression: "SET refreshHash = :next, lastRefreshAt = :now ADD refreshGeneration :one",
            ConditionExpression: "refreshHash = :presented AND attribute_not_exists(revokedAt)",
            ExpressionAttributeValues: { ":next": sha256(next), ":presented": sha256(PRESENTED), ":now": NOW, ":one": 1 },
          },
        },
        {
          ConditionCheck: {
            TableName: "unit-table",
            Key: userKey,
            ConditionExpression: "#status = :active AND (attribute_not_exists(tokensValidAfter) OR tokensValidAfter <= :sessionStart OR keptSessionId = :sid)",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: { ":active": "ACTIVE", ":sessionStart": SESSION_START, ":sid": "s1" },
          },
        },
        {
          Put: {
            TableName: "unit-table",
            Item: { PK: "USER#u1", SK: "TOKEN#jti-new", entity: "TOKEN", sessionId: "s1", issuedAt: NOW, expiresAt: EXP * 1000, ttl: EXP + 60 },
            ConditionExpression: "attribute_not_exists(PK)",
          },
        },
        {
          Put: {
            TableName: "unit-table",
            Item: { ...lookupKey(sha256(next)), entity: "REFRESH", userId: "u1", sessionId: "s1", ttl: Math.floor(NOW / 1000) + 30 * 24 * 3600 },
            ConditionExpression: "attribute_not_exists(PK)",
          },
        },
        {
          Update: {
            TableName: "unit-table",
            Key: lookupKey(sha256(PRESENTED)),
            UpdateExpression: "SET usedAt = :now",
            ConditionExpression: "attribute_not_exists(usedAt)",
            ExpressionAttributeValues: { ":now": NOW },
          },
        },
      ],
    ]);
    expect(trail()).toEqual(["GetCommand REFRESH", "BatchGetCommand", "TransactWriteCommand"]);
  });

  it("hands out none of Cognito's refresh tokens and stores no refresh token in the clear", async () => {
    await ready();
    const response = await refresh(PRESENTED);
    expect(response.refreshToken).not.toBe("cognito-rotated");
    const written = JSON.stringify(ddb.calls().map((c) => c.args[0].input));
    for (const secret of [PRESENTED, String(response.refreshToken), COGNITO_REFRESH, "cognito-rotated"]) expect(written).not.toContain(secret);
  });

  it("answers 401 INVALID_REFRESH_TOKEN for a refresh token we never recorded, without reading the session or asking Cognito", async () => {
    ddb.on(GetCommand).resolves({});
    aws = mockAwsFetch();
    await expect(refresh(PRESENTED)).rejects.toMatchObject({ status: 401, code: "INVALID_REFRESH_TOKEN" });
    expect(trail()).toEqual(["GetCommand REFRESH"]);
    expect(aws.seen).toHaveLength(0);
  });

  it.each([
    ["a revoked session", async () => [user(), await session({ revokedAt: NOW - 1000 })]],
    ["a missing session", async () => [user()]],
    ["a deleted user", async () => [await session()]],
    ["a suspended user", async () => [user({ status: "SUSPENDED" }), await session()]],
    ["a user not yet verified", async () => [user({ status: "PENDING_VERIFICATION" }), await session()]],
    ["a session older than the user's tokensValidAfter", async () => [user({ tokensValidAfter: NOW - 60_000 }), await session()]],
    ["an old session when another one was kept", async () => [user({ tokensValidAfter: NOW - 60_000, keptSessionId: "s2" }), await session()]],
    ["a session without a Cognito refresh token", async () => [user(), await session({ cognitoRefreshEnc: undefined })]],
  ])("answers 401 INVALID_REFRESH_TOKEN for %s, without asking Cognito, writing or revoking anything", async (_name, items) => {
    await ready(await items());
    await expect(refresh(PRESENTED)).rejects.toMatchObject({ status: 401, code: "INVALID_REFRESH_TOKEN" });
    expect(aws.seen).toHaveLength(0);
    expect(trail()).toEqual(["GetCommand REFRESH", "BatchGetCommand"]);
  });

  it("refreshes the session a password change kept, although it is older than tokensValidAfter", async () => {
    await ready([user({ tokensValidAfter: NOW - 60_000, keptSessionId: "s1" }), await session()]);
    await expect(refresh(PRESENTED)).resolves.toMatchObject({ tokenType: "Bearer" });
    expect(ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[2]?.Put?.Item).toMatchObject({ SK: "TOKEN#jti-new", sessionId: "s1" });
  });

  it("refreshes a session created after tokensValidAfter", async () => {
    await ready([user({ tokensValidAfter: SESSION_START - 1 }), await session()]);
    await expect(refresh(PRESENTED)).resolves.toMatchObject({ tokenType: "Bearer" });
  });

  it.each([
    ["a token that was rotated out (not the session's current one)", async () => ready([user(), await session({ refreshHash: sha256("the-next-token") })])],
    [
      "a token whose lookup is marked used",
      async () => {
        await ready();
        lookup({ usedAt: NOW - 5000 });
      },
    ],
  ])("takes %s for a replay: revokes the session first, then its access tokens, and answers 401 without asking Cognito", async (_name, prepare) => {
    // Prepare
    await prepare();

    // Act
    const error = await refusal(refresh(PRESENTED));

    // Assess
    expect(error).toMatchObject({ status: 401, code: "INVALID_REFRESH_TOKEN" });
    expect(aws.seen).toHaveLength(0);
    expect(trail()).toEqual(["GetCommand REFRESH", "BatchGetCommand", "UpdateCommand SESSION#s1", "QueryCommand", "UpdateCommand TOKEN#a", "UpdateCommand TOKEN#b"]);
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({ TableName: "unit-table", Key: sessionKey, UpdateExpression: "SET revokedAt = :now", ExpressionAttributeValues: { ":now": NOW } });
  });

  it.each([
    [0, "the rotation (another refresh with the same token won)"],
    [4, "the old lookup (it was used meanwhile)"],
  ])("takes a cancellation at item %i, %s, for a replay: the session is revoked and the answer is 401", async (index) => {
    // Prepare
    await ready();
    ddb.on(TransactWriteCommand).rejects(cancelledAt(index));

    // Act
    const error = await refusal(refresh(PRESENTED));

    // Assess
    expect(error).toMatchObject({ status: 401, code: "INVALID_REFRESH_TOKEN" });
    expect(trail()).toEqual(["GetCommand REFRESH", "BatchGetCommand", "TransactWriteCommand", "UpdateCommand SESSION#s1", "QueryCommand", "UpdateCommand TOKEN#a", "UpdateCommand TOKEN#b"]);
  });

  it("answers 401 without revoking anything when the user check is cancelled (suspended or signed out everywhere meanwhile)", async () => {
    await ready();
    ddb.on(TransactWriteCommand).rejects(cancelledAt(1));
    await expect(refresh(PRESENTED)).rejects.toMatchObject({ status: 401, code: "INVALID_REFRESH_TOKEN" });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it("passes a transaction that only ever conflicted through as a conflict (the client retries), not as the end of the session", async () => {
    await ready();
    noBackoffJitter();
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: "Transaction cancelled", $metadata: {}, CancellationReasons: [{ Code: "TransactionConflict" }, { Code: "None" }, { Code: "None" }, { Code: "None" }, { Code: "None" }] }),
    );
    await expect(refresh(PRESENTED)).rejects.toBeInstanceOf(TransactionCancelled);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it("passes other failures of the transaction through (the client should retry, not sign in again)", async () => {
    await ready();
    ddb.on(TransactWriteCommand).rejects(Object.assign(new Error("throughput exceeded"), { name: "ProvisionedThroughputExceededException" }));
    await expect(refresh(PRESENTED)).rejects.toThrow("throughput exceeded");
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it("answers 401 INVALID_REFRESH_TOKEN when Cognito refuses the session's refresh token, writing nothing", async () => {
    await ready();
    aws.restore();
    aws = mockAwsFetch({ InitiateAuth: cognitoError("NotAuthorizedException") });
    await expect(refresh(PRESENTED)).rejects.toMatchObject({ status: 401, code: "INVALID_REFRESH_TOKEN" });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it("passes other Cognito failures through (not a 401: the client should retry, not sign in again)", async () => {
    noBackoffJitter();
    await ready();
    aws.restore();
    aws = mockAwsFetch({ InitiateAuth: cognitoError("InternalErrorException", 500) });
    await expect(refresh(PRESENTED)).rejects.toMatchObject({ name: "InternalErrorException" });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe("logout", () => {
  const prepared = async (item: Record<string, unknown>) => {
    ddb.on(GetCommand).resolves({ Item: item });
    ddb.on(QueryCommand).resolves({ Items: tokenItems });
    ddb.on(UpdateCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
    aws = mockAwsFetch({ RevokeToken: { body: {} }, AdminUserGlobalSignOut: { body: {} } });
  };

  it("on one device, revokes the session first, then its unexpired access tokens, and the session's refresh token at Cognito", async () => {
    // Prepare
    await prepared(await session());

    // Act
    await logout("u1", "s1", false);

    // Assess
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({ TableName: "unit-table", Key: sessionKey });
    expect(trail()).toEqual(["GetCommand SESSION#s1", "UpdateCommand SESSION#s1", "QueryCommand", "UpdateCommand TOKEN#a", "UpdateCommand TOKEN#b"]);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: "unit-table",
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :token)",
      FilterExpression: "sessionId = :sid AND expiresAt > :now",
      ExpressionAttributeValues: { ":pk": "USER#u1", ":token": "TOKEN#", ":sid": "s1", ":now": NOW },
      ProjectionExpression: "PK, SK",
      ConsistentRead: true,
    });
    expect(ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input)).toEqual(
      [sessionKey, ...tokenItems].map((Key) => ({ TableName: "unit-table", Key, UpdateExpression: "SET revokedAt = :now", ExpressionAttributeValues: { ":now": NOW } })),
    );
    expect(aws.calls("RevokeToken").map((r) => r.json())).toEqual([{ ClientId: "unit-client", Token: COGNITO_REFRESH }]);
    expect(aws.calls("AdminUserGlobalSignOut")).toHaveLength(0);
  });

  it("on one device, revokes the access tokens on every page of the user's token records", async () => {
    await prepared(await session());
    ddb.on(QueryCommand)
      .resolvesOnce({ Items: tokenItems.slice(0, 1), LastEvaluatedKey: { PK: "USER#u1", SK: "TOKEN#a" } })
      .resolvesOnce({ Items: tokenItems.slice(1) });
    await logout("u1", "s1", false);
    expect(trail()).toEqual(["GetCommand SESSION#s1", "UpdateCommand SESSION#s1", "QueryCommand", "QueryCommand", "UpdateCommand TOKEN#a", "UpdateCommand TOKEN#b"]);
    expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({ PK: "USER#u1", SK: "TOKEN#a" });
  });

  it("on one device, still revokes the session when there is no Cognito refresh token to revoke", async () => {
    await prepared(await session({ cognitoRefreshEnc: undefined }));
    ddb.on(QueryCommand).resolves({ Items: [] });
    await logout("u1", "s1", false);
    expect(ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.Key)).toEqual([sessionKey]);
    expect(aws.seen).toHaveLength(0);
  });

  it("completes although Cognito fails to revoke the refresh token (our records already refuse it)", async () => {
    await prepared(await session());
    aws.restore();
    aws = mockAwsFetch({ RevokeToken: cognitoError("InvalidParameterException") });
    await expect(logout("u1", "s1", false)).resolves.toBeUndefined();
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(3);
  });

  it("on all devices, sets the user's revocation mark (dropping any kept session), signs out at Cognito, then revokes the session's refresh token", async () => {
    // Prepare
    await prepared(await session());

    // Act
    await logout("u1", "s1", true);

    // Assess
    expect(ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems)).toEqual([
      [
        {
          Update: {
            TableName: "unit-table",
            Key: userKey,
            UpdateExpression: "SET tokensValidAfter = :after, updatedAt = :now REMOVE keptSessionId",
            ConditionExpression: "attribute_exists(PK)",
            ExpressionAttributeValues: { ":after": NOW + 1, ":now": new Date(NOW).toISOString() },
          },
        },
      ],
    ]);
    expect(trail()).toEqual(["GetCommand SESSION#s1", "TransactWriteCommand"]); // no token record is touched
    expect(aws.seen.map((r) => r.action)).toEqual(["AdminUserGlobalSignOut", "RevokeToken"]);
    expect(aws.calls("AdminUserGlobalSignOut")[0]?.json()).toEqual({ UserPoolId: "local_unit", Username: "u1" });
    expect(aws.calls("RevokeToken")[0]?.json()).toEqual({ ClientId: "unit-client", Token: COGNITO_REFRESH });
  });
});

describe("revokeAllSessions", () => {
  beforeEach(() => {
    aws = mockAwsFetch({ RevokeToken: { body: {} }, AdminUserGlobalSignOut: { body: {} } });
  });

  it("with a kept session, marks the others revoked through tokensValidAfter and revokes only their Cognito refresh tokens", async () => {
    // Prepare
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(QueryCommand).resolves({
      Items: [{ cognitoRefreshEnc: await encryptField("refresh-of-s2", "u1:refresh") }, {}, { cognitoRefreshEnc: await encryptField("refresh-of-s3", "u1:refresh") }],
    });

    // Act
    await revokeAllSessions("u1", "s1");

    // Assess
    expect(ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems).toEqual([
      {
        Update: {
          TableName: "unit-table",
          Key: userKey,
          UpdateExpression: "SET tokensValidAfter = :after, updatedAt = :now, keptSessionId = :kept",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeValues: { ":after": NOW + 1, ":now": new Date(NOW).toISOString(), ":kept": "s1" },
        },
      },
    ]);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: "unit-table",
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :session)",
      FilterExpression: "attribute_not_exists(revokedAt) AND sessionId <> :kept",
      ExpressionAttributeValues: { ":pk": "USER#u1", ":session": "SESSION#", ":kept": "s1" },
      ProjectionExpression: "cognitoRefreshEnc",
    });
    expect(aws.calls("RevokeToken").map((r) => r.json().Token).sort()).toEqual(["refresh-of-s2", "refresh-of-s3"]);
    expect(aws.calls("AdminUserGlobalSignOut")).toHaveLength(0); // it would end the kept session too
  });

  it("writes the items it is given in the same transaction as the mark", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    const notice = { Put: { TableName: "unit-table", Item: { PK: "USER#u1", SK: "OUTBOX#m1", entity: "OUTBOX" } } };
    await revokeAllSessions("u1", "s1", [notice]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(items).toHaveLength(2);
    expect(items?.[0]?.Update?.Key).toEqual(userKey);
    expect(items?.[1]).toEqual(notice);
  });

  it("without a kept session, signs the user out everywhere at Cognito", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await revokeAllSessions("u1");
    expect(ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update?.UpdateExpression).toContain("REMOVE keptSessionId");
    expect(aws.calls("AdminUserGlobalSignOut").map((r) => r.json())).toEqual([{ UserPoolId: "local_unit", Username: "u1" }]);
    expect(aws.calls("AdminUserGlobalSignOut")[0]?.headers.authorization).toMatch(/Credential=[^/]+\/\d{8}\/us-east-1\/cognito-idp\/aws4_request/);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it("does not reach Cognito when the user does not exist", async () => {
    ddb.on(TransactWriteCommand).rejects(cancelledAt(0, 1));
    await expect(revokeAllSessions("u1", "s1")).rejects.toMatchObject({ reasons: ["ConditionalCheckFailed"] });
    expect(aws.seen).toHaveLength(0);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });
});
