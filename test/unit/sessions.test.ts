import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type * as Fields from "#lib/crypto/fields";
import type * as Sessions from "#lib/identity/sessions";
import { freezeClock, NOW } from "#test/unit/support/aws";

// Cognito is faked on loopback, speaking its JSON protocol (X-Amz-Target, application/x-amz-json-1.1),
// so the test holds whether lib/clients/cognito.ts uses the SDK client or plain fetch.
const ddb = mockClient(DynamoDBDocumentClient);

interface CognitoCall {
  action: string;
  input: Record<string, unknown>;
}
type CognitoAnswer = { status: number; body: Record<string, unknown> };
let cognitoCalls: CognitoCall[] = [];
let answer: (call: CognitoCall) => CognitoAnswer;
const answers = (byAction: Record<string, CognitoAnswer>) => {
  answer = ({ action }) => byAction[action] ?? { status: 200, body: {} };
};
const cognitoError = (type: string, status = 400): CognitoAnswer => ({ status, body: { __type: type, message: `${type} from the fake` } });
const callsOf = (action: string) => cognitoCalls.filter((c) => c.action === action).map((c) => c.input);

let server: Server;
let refresh: typeof Sessions.refresh;
let logout: typeof Sessions.logout;
let revokeAllSessions: typeof Sessions.revokeAllSessions;
let encryptField: typeof Fields.encryptField;
const saved = { COGNITO_ENDPOINT: process.env.COGNITO_ENDPOINT, AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY };

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    req.on("end", () => {
      const call = { action: String(req.headers["x-amz-target"] ?? "").split(".").pop() ?? "", input: JSON.parse(text || "{}") as Record<string, unknown> };
      cognitoCalls.push(call);
      const { status, body } = answer(call);
      res.writeHead(status, { "content-type": "application/x-amz-json-1.1", ...(status >= 400 ? { "x-amzn-errortype": String(body.__type) } : {}) });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.COGNITO_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AWS_ACCESS_KEY_ID ??= "AKIDUNITTEST"; // signed Admin* calls
  process.env.AWS_SECRET_ACCESS_KEY ??= "unit-secret";
  vi.resetModules();
  (await import("#lib/config")).resetConfigForTests();
  ({ refresh, logout, revokeAllSessions } = await import("#lib/identity/sessions"));
  ({ encryptField } = await import("#lib/crypto/fields"));
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  (await import("#lib/config")).resetConfigForTests();
});

const REFRESH_TOKEN = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.refresh-token-of-s1";
const refreshDigest = createHash("sha256").update(REFRESH_TOKEN).digest("base64url");
const userKey = { PK: "USER#u1", SK: "PROFILE" };
const sessionKey = { PK: "USER#u1", SK: "SESSION#s1" };
const user = (overrides: Record<string, unknown> = {}) => ({ ...userKey, entity: "USER", userId: "u1", username: "alice", status: "ACTIVE", ...overrides });
const session = (overrides: Record<string, unknown> = {}) => ({ ...sessionKey, entity: "SESSION", sessionId: "s1", createdAt: NOW - 3_600_000, ...overrides });
const lookup = () => ddb.on(GetCommand, { Key: { PK: `REFRESH#${refreshDigest}` } }).resolves({ Item: { entity: "REFRESH", userId: "u1", sessionId: "s1" } });
const stored = (...items: Record<string, unknown>[]) => ddb.on(BatchGetCommand).resolves({ Responses: { "unit-table": items } });
const tokens = (accessToken: string, extra: Record<string, unknown> = {}): CognitoAnswer => ({
  status: 200,
  body: { AuthenticationResult: { AccessToken: accessToken, IdToken: "id.token.x", ExpiresIn: 900, TokenType: "Bearer", ...extra } },
});

/** An access token as Cognito would issue it; the module only decodes it, so any key signs it. */
const accessToken = (jti: string, exp: number) =>
  new SignJWT({ token_use: "access", username: "u1", client_id: "unit-client" })
    .setProtectedHeader({ alg: "HS256" })
    .setJti(jti)
    .setIssuedAt(Math.floor(NOW / 1000))
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode("not-the-point-of-this-test-0123456789"));

beforeEach(() => {
  ddb.reset();
  cognitoCalls = [];
  answers({});
  freezeClock();
});
afterEach(() => vi.useRealTimers());

describe("refresh", () => {
  it("finds the session by the refresh token's digest, records the new access token by its jti and hands back no refresh token", async () => {
    // Prepare
    const exp = Math.floor(NOW / 1000) + 900;
    const token = await accessToken("jti-new", exp);
    lookup();
    stored(user(), session());
    answers({ InitiateAuth: tokens(token, { RefreshToken: "rotated" }) });
    ddb.on(PutCommand).resolves({});

    // Act
    const response = await refresh(REFRESH_TOKEN);

    // Assess
    expect(response).toEqual({ accessToken: token, idToken: "id.token.x", expiresIn: 900, tokenType: "Bearer" });
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({ TableName: "unit-table", Key: { PK: `REFRESH#${refreshDigest}`, SK: "REFRESH" } });
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.["unit-table"]?.Keys).toEqual([userKey, sessionKey]);
    expect(callsOf("InitiateAuth")).toEqual([
      {
      ClientId: "unit-client",
      AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN },
      },
    ]);
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: "unit-table",
      Item: { PK: "USER#u1", SK: "TOKEN#jti-new", entity: "TOKEN", sessionId: "s1", issuedAt: NOW, expiresAt: exp * 1000, ttl: exp + 60 },
    });
    expect(JSON.stringify(ddb.calls().map((c) => c.args[0].input))).not.toContain(REFRESH_TOKEN);
  });

  it("answers 401 INVALID_REFRESH_TOKEN for a refresh token we never recorded, without asking Cognito", async () => {
    ddb.on(GetCommand).resolves({});
    await expect(refresh(REFRESH_TOKEN)).rejects.toMatchObject({ status: 401, code: "INVALID_REFRESH_TOKEN" });
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
    expect(cognitoCalls).toHaveLength(0);
  });

  it.each([
    ["a revoked session", [user(), session({ revokedAt: NOW - 1000 })]],
    ["a missing session", [user()]],
    ["a deleted user", [session()]],
    ["a suspended user", [user({ status: "SUSPENDED" }), session()]],
    ["a session older than the user's tokensValidAfter", [user({ tokensValidAfter: NOW - 60_000 }), session()]],
    ["an old session when another one was kept", [user({ tokensValidAfter: NOW - 60_000, keptSessionId: "s2" }), session()]],
  ])("answers 401 INVALID_REFRESH_TOKEN for %s, without asking Cognito or recording a token", async (_name, items) => {
    lookup();
    stored(...(items as Record<string, unknown>[]));
    await expect(refresh(REFRESH_TOKEN)).rejects.toMatchObject({ status: 401, code: "INVALID_REFRESH_TOKEN" });
    expect(cognitoCalls).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it("refreshes the session a password change kept, although it is older than tokensValidAfter", async () => {
    lookup();
    stored(user({ tokensValidAfter: NOW - 60_000, keptSessionId: "s1" }), session());
    answers({ InitiateAuth: tokens(await accessToken("jti-kept", Math.floor(NOW / 1000) + 900)) });
    ddb.on(PutCommand).resolves({});
    await expect(refresh(REFRESH_TOKEN)).resolves.toMatchObject({ tokenType: "Bearer" });
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({ SK: "TOKEN#jti-kept", sessionId: "s1" });
  });

  it("refreshes a session created after tokensValidAfter", async () => {
    lookup();
    stored(user({ tokensValidAfter: NOW - 7_200_000 }), session());
    answers({ InitiateAuth: tokens(await accessToken("jti-2", Math.floor(NOW / 1000) + 900)) });
    ddb.on(PutCommand).resolves({});
    await expect(refresh(REFRESH_TOKEN)).resolves.toMatchObject({ tokenType: "Bearer" });
  });

  it("answers 401 INVALID_REFRESH_TOKEN when Cognito refuses the refresh token, recording nothing", async () => {
    lookup();
    stored(user(), session());
    answers({ InitiateAuth: cognitoError("NotAuthorizedException") });
    await expect(refresh(REFRESH_TOKEN)).rejects.toMatchObject({ status: 401, code: "INVALID_REFRESH_TOKEN" });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it("passes other Cognito failures through (not a 401: the client should retry, not sign in again)", async () => {
    lookup();
    stored(user(), session());
    answers({ InitiateAuth: cognitoError("InternalErrorException", 500) });
    await expect(refresh(REFRESH_TOKEN)).rejects.toMatchObject({ name: "InternalErrorException" });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });
});

describe("logout", () => {
  const tokenItems = [
    { PK: "USER#u1", SK: "TOKEN#a" },
    { PK: "USER#u1", SK: "TOKEN#b" },
  ];

  it("on one device, revokes the session and its unexpired access tokens, and the refresh token at Cognito", async () => {
    // Prepare
    ddb.on(GetCommand).resolves({ Item: session({ refreshTokenEnc: await encryptField(REFRESH_TOKEN, "u1:refresh") }) });
    ddb.on(QueryCommand).resolves({ Items: tokenItems });
    ddb.on(UpdateCommand).resolves({});

    // Act
    await logout("u1", "s1", false);

    // Assess
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({ TableName: "unit-table", Key: sessionKey });
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: "unit-table",
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :token)",
      FilterExpression: "sessionId = :sid AND expiresAt > :now",
      ExpressionAttributeValues: { ":pk": "USER#u1", ":token": "TOKEN#", ":sid": "s1", ":now": NOW },
      ProjectionExpression: "PK, SK",
    });
    const revoked = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(revoked).toEqual(
      [sessionKey, ...tokenItems].map((Key) => ({
        TableName: "unit-table",
        Key,
        UpdateExpression: "SET revokedAt = :now",
        ExpressionAttributeValues: { ":now": NOW },
      })),
    );
    expect(callsOf("RevokeToken")).toEqual([{ ClientId: "unit-client", Token: REFRESH_TOKEN }]);
    expect(callsOf("AdminUserGlobalSignOut")).toHaveLength(0);
  });

  it("on one device, still revokes the session when there is no refresh token to revoke at Cognito", async () => {
    ddb.on(GetCommand).resolves({ Item: session() });
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(UpdateCommand).resolves({});
    await logout("u1", "s1", false);
    expect(ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.Key)).toEqual([sessionKey]);
    expect(cognitoCalls).toHaveLength(0);
  });

  it("completes although Cognito fails to revoke the refresh token (our records already refuse it)", async () => {
    ddb.on(GetCommand).resolves({ Item: session({ refreshTokenEnc: await encryptField(REFRESH_TOKEN, "u1:refresh") }) });
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(UpdateCommand).resolves({});
    answers({ RevokeToken: cognitoError("InternalErrorException", 500) });
    await expect(logout("u1", "s1", false)).resolves.toBeUndefined();
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it("on all devices, marks the user's tokensValidAfter (dropping any kept session) and signs out at Cognito, without touching token records", async () => {
    // Prepare
    ddb.on(GetCommand).resolves({ Item: session({ refreshTokenEnc: await encryptField(REFRESH_TOKEN, "u1:refresh") }) });
    ddb.on(TransactWriteCommand).resolves({});

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
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
    expect(callsOf("AdminUserGlobalSignOut")).toEqual([{ UserPoolId: "local_unit", Username: "u1" }]);
    expect(callsOf("RevokeToken").map((c) => c.Token)).toEqual([REFRESH_TOKEN]);
  });
});

describe("revokeAllSessions", () => {
  it("with a kept session, marks the others revoked through tokensValidAfter and revokes only their refresh tokens at Cognito", async () => {
    // Prepare
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(QueryCommand).resolves({
      Items: [{ refreshTokenEnc: await encryptField("refresh-of-s2", "u1:refresh") }, {}, { refreshTokenEnc: await encryptField("refresh-of-s3", "u1:refresh") }],
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
      ProjectionExpression: "refreshTokenEnc",
    });
    expect(callsOf("RevokeToken").map((c) => c.Token).sort()).toEqual(["refresh-of-s2", "refresh-of-s3"]);
    expect(callsOf("AdminUserGlobalSignOut")).toHaveLength(0); // it would end the kept session too
  });

  it("writes the items it is given in the same transaction as the mark", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    const notice = { Put: { TableName: "unit-table", Item: { PK: "USER#u1", SK: "OUTBOX#m1", entity: "OUTBOX" } } };
    await revokeAllSessions("u1", "s1", [notice]);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(items).toHaveLength(2);
    expect(items?.[1]).toEqual(notice);
  });

  it("without a kept session, signs the user out everywhere at Cognito", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await revokeAllSessions("u1");
    expect(ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update?.UpdateExpression).toContain("REMOVE keptSessionId");
    expect(callsOf("AdminUserGlobalSignOut")).toEqual([{ UserPoolId: "local_unit", Username: "u1" }]);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it("does not reach Cognito when the user does not exist", async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(new TransactionCanceledException({ message: "Transaction cancelled", $metadata: {}, CancellationReasons: [{ Code: "ConditionalCheckFailed" }] }));
    await expect(revokeAllSessions("u1", "s1")).rejects.toMatchObject({ reasons: ["ConditionalCheckFailed"] });
    expect(cognitoCalls).toHaveLength(0);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });
});
