import { randomUUID } from "node:crypto";
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { decodeJwt } from "jose";
import {
  type CognitoTokens,
  CredentialsRejected,
  passwordAuth,
  refreshAuth,
  revokeRefreshToken,
  signOutEverywhere,
} from "#lib/clients/cognito";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { decryptField, digest, encryptField, lookupHash } from "#lib/crypto/fields";
import { keys, ttlAfter, userPk } from "#lib/data/keys";
import { transactWrite } from "#lib/data/transactions";
import { batchGet, fromUserItem, type UserRecord, updateUser } from "#lib/data/users";
import { badRequest, forbidden, unauthorized } from "#lib/errors";
import { resolveLogin } from "#lib/identity/lookup";
import { assertNotLocked, clearAccount, recordFailure, throttleKeys } from "#lib/identity/throttle";
import { messages } from "#lib/notify/messages";
import { deliver } from "#lib/notify/notify";

// Sessions: Cognito issues the tokens; we record each session (one per login) and each access
// token we hand out. The auth layer accepts only recorded, unrevoked tokens, so logout, password
// reset and incident measures take effect on the very next request.

export interface ClientMeta {
  ip: string;
  userAgent: string;
}

export interface TokenResponse {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  expiresIn: number;
  tokenType: "Bearer";
}

const ACTIVITY_TTL_SECONDS = 180 * 24 * 3600;
const SESSION_TTL_SECONDS = 30 * 24 * 3600;

const invalidCredentials = () => unauthorized("The login or password is not correct.", "INVALID_CREDENTIALS");

export async function login(loginName: string, password: string, client: ClientMeta): Promise<TokenResponse> {
  const { userId, loginHash } = await resolveLogin(loginName);
  const throttle = await throttleKeys(userId ?? loginHash, client.ip);
  const deviceHash = userId ? await lookupHash("DEVICE", `${userId}:${client.userAgent}`) : "";
  const { items, accountHasFailures } = await assertNotLocked(throttle, userId ? [keys.user(userId), keys.device(userId, deviceHash)] : []);
  const user = fromUserItem(items[0]);
  if (!userId || !user || user.status === "DELETED") {
    await recordFailure(throttle);
    throw invalidCredentials();
  }

  let tokens: CognitoTokens;
  try {
    tokens = await passwordAuth(userId, password);
  } catch (error) {
    if (!(error instanceof CredentialsRejected)) throw error;
    if (error.reason === "NOT_CONFIRMED") throw forbidden("ACCOUNT_NOT_VERIFIED", "Verify the account with the code we sent first.");
    await recordFailure(throttle);
    throw invalidCredentials();
  }
  if (user.status === "PENDING_VERIFICATION") throw forbidden("ACCOUNT_NOT_VERIFIED", "Verify the account with the code we sent first.");
  if (user.status === "SUSPENDED") {
    if (tokens.refreshToken) await revokeRefreshToken(tokens.refreshToken);
    throw forbidden("ACCOUNT_SUSPENDED", "This account is suspended.");
  }

  const device = items[1] as { firstSeenAt?: string } | undefined;
  const newDevice = !device;
  await Promise.all([
    recordLogin(user, tokens, client, deviceHash, device?.firstSeenAt),
    accountHasFailures ? clearAccount(throttle) : undefined,
  ]);
  // The first device of an account is not news; any later new one is mailed to the owner.
  if (newDevice && user.lastLoginAt) {
    await deliver(user, user.emailEnc ? "EMAIL" : "SMS", messages.newDeviceLogin(new Date().toISOString(), client.ip, client.userAgent));
  }
  return asResponse(tokens);
}

/** Writes the session, its refresh-token lookup, the access-token record, device, activity and last login in one transaction. */
async function recordLogin(
  user: UserRecord,
  tokens: CognitoTokens,
  client: ClientMeta,
  deviceHash: string,
  firstSeenAt: string | undefined,
) {
  const TableName = tableName();
  const now = Date.now();
  const at = new Date(now).toISOString();
  const sessionId = randomUUID();
  const newDevice = firstSeenAt === undefined;
  const refreshHash = tokens.refreshToken ? digest(tokens.refreshToken) : undefined;

  await transactWrite({
    TransactItems: [
      {
        Put: {
          TableName,
          Item: {
            ...keys.session(user.userId, sessionId),
            type: "SESSION",
            sessionId,
            createdAt: now,
            refreshHash,
            refreshTokenEnc: tokens.refreshToken ? await encryptField(tokens.refreshToken, `${user.userId}:refresh`) : undefined,
            ip: client.ip,
            userAgent: client.userAgent,
            ttl: ttlAfter(SESSION_TTL_SECONDS, now),
          },
        },
      },
      ...(refreshHash
        ? [
            {
              Put: {
                TableName,
                Item: {
                  ...keys.refresh(refreshHash),
                  type: "REFRESH",
                  userId: user.userId,
                  sessionId,
                  ttl: ttlAfter(SESSION_TTL_SECONDS, now),
                },
              },
            },
          ]
        : []),
      { Put: { TableName, Item: tokenItem(user.userId, sessionId, tokens.accessToken, now) } },
      {
        Put: {
          TableName,
          Item: {
            ...keys.device(user.userId, deviceHash),
            type: "DEVICE",
            userAgent: client.userAgent,
            firstSeenAt: firstSeenAt ?? at,
            lastSeenAt: at,
          },
        },
      },
      {
        Put: {
          TableName,
          Item: {
            ...keys.activity(user.userId, at, sessionId.slice(0, 8)),
            type: "ACTIVITY",
            activity: "LOGIN",
            at,
            ip: client.ip,
            userAgent: client.userAgent,
            newDevice,
            ttl: ttlAfter(ACTIVITY_TTL_SECONDS, now),
          },
        },
      },
      {
        Update: {
          TableName,
          Key: keys.user(user.userId),
          UpdateExpression: "SET lastLoginAt = :at",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeValues: { ":at": at },
        },
      },
    ],
  });
}

function tokenItem(userId: string, sessionId: string, accessToken: string, issuedAt: number) {
  const claims = decodeJwt(accessToken);
  const expiresAt = (claims.exp ?? Math.floor(issuedAt / 1000) + 3600) * 1000;
  return {
    ...keys.token(userId, String(claims.jti)),
    type: "TOKEN",
    sessionId,
    issuedAt,
    expiresAt,
    ttl: Math.ceil(expiresAt / 1000) + 60,
  };
}

const asResponse = (tokens: CognitoTokens): TokenResponse => ({
  accessToken: tokens.accessToken,
  idToken: tokens.idToken,
  ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
  expiresIn: tokens.expiresIn,
  tokenType: "Bearer",
});

interface SessionRecord {
  sessionId: string;
  createdAt: number;
  revokedAt?: number;
  refreshHash?: string;
  refreshTokenEnc?: string;
}

const sessionEnded = () => unauthorized("The session has ended; sign in again.", "INVALID_REFRESH_TOKEN");

export async function refresh(refreshToken: string): Promise<TokenResponse> {
  const mapping = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: keys.refresh(digest(refreshToken)) }));
  const userId = mapping.Item?.userId as string | undefined;
  const sessionId = mapping.Item?.sessionId as string | undefined;
  if (!userId || !sessionId) throw sessionEnded();
  const [userItem, sessionItem] = await batchGet([keys.user(userId), keys.session(userId, sessionId)]);
  const user = fromUserItem(userItem);
  const session = sessionItem as SessionRecord | undefined;
  if (!user || !session || session.revokedAt || user.status !== "ACTIVE") throw sessionEnded();
  const kept = user.keptSessionId === sessionId;
  if (user.tokensValidAfter && session.createdAt < user.tokensValidAfter && !kept) throw sessionEnded();

  let tokens: CognitoTokens;
  try {
    tokens = await refreshAuth(refreshToken);
  } catch (error) {
    if (error instanceof CredentialsRejected) throw sessionEnded();
    throw error;
  }
  await dynamodb.send(new PutCommand({ TableName: tableName(), Item: tokenItem(userId, sessionId, tokens.accessToken, Date.now()) }));
  return asResponse({ ...tokens, refreshToken: undefined });
}

/** Ends the caller's session (or all of the user's sessions); the token used stops working at once. */
export async function logout(userId: string, sessionId: string, allDevices: boolean): Promise<void> {
  const now = Date.now();
  const session = (await dynamodb.send(new GetCommand({ TableName: tableName(), Key: keys.session(userId, sessionId) }))).Item as
    | SessionRecord
    | undefined;
  if (allDevices) {
    await revokeAllSessions(userId);
  } else {
    await revokeSession(userId, sessionId, now);
  }
  if (session?.refreshTokenEnc) {
    await revokeRefreshToken(await decryptField(session.refreshTokenEnc, `${userId}:refresh`));
  }
}

/** Every token and session issued before now stops working, optionally except one session (the caller's). */
export async function revokeAllSessions(userId: string, keepSessionId?: string): Promise<void> {
  await updateUser(
    userId,
    { tokensValidAfter: Date.now() + 1, ...(keepSessionId ? { keptSessionId: keepSessionId } : {}) },
    {
      remove: keepSessionId ? [] : ["keptSessionId"],
    },
  );
  await signOutEverywhere(userId);
}

async function revokeSession(userId: string, sessionId: string, now: number): Promise<void> {
  const TableName = tableName();
  const tokens = await dynamodb.send(
    new QueryCommand({
      TableName,
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :token)",
      FilterExpression: "sessionId = :sid AND expiresAt > :now",
      ExpressionAttributeValues: { ":pk": userPk(userId), ":token": "TOKEN#", ":sid": sessionId, ":now": now },
      ProjectionExpression: "PK, SK",
    }),
  );
  const revoke = (Key: Record<string, unknown>) =>
    dynamodb.send(
      new UpdateCommand({ TableName, Key, UpdateExpression: "SET revokedAt = :now", ExpressionAttributeValues: { ":now": now } }),
    );
  await Promise.all([revoke(keys.session(userId, sessionId)), ...(tokens.Items ?? []).map((item) => revoke({ PK: item.PK, SK: item.SK }))]);
}

export interface ActivityItem {
  at: string;
  type: string;
  ip: string;
  userAgent: string;
  newDevice: boolean;
}

export async function listActivity(
  userId: string,
  limit: number,
  cursor?: string,
): Promise<{ items: ActivityItem[]; nextCursor: string | null }> {
  const out = await dynamodb.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :activity)",
      ExpressionAttributeValues: { ":pk": userPk(userId), ":activity": "ACTIVITY#" },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: cursor ? decodeCursor(cursor, userId) : undefined,
    }),
  );
  return {
    items: (out.Items ?? []).map((item) => ({
      at: String(item.at),
      type: String(item.activity),
      ip: String(item.ip),
      userAgent: String(item.userAgent),
      newDevice: Boolean(item.newDevice),
    })),
    nextCursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : null,
  };
}

export const encodeCursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString("base64url");

/** Cursors are opaque to clients but checked here: a cursor can only continue the caller's own listing. */
export function decodeCursor(cursor: string, userId: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Record<string, unknown>;
    if (key.PK === userPk(userId) && typeof key.SK === "string") return key;
  } catch {
    // fall through
  }
  throw unauthorizedCursor();
}

const unauthorizedCursor = () => badRequest("INVALID_CURSOR", "The cursor is not valid for this listing.");
