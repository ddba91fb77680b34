import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { decodeJwt } from "jose";
import { type CognitoTokens, CredentialsRejected, refreshAuth, revokeRefreshToken, signOutEverywhere } from "#lib/clients/cognito";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { decryptField, digest } from "#lib/crypto/fields";
import { keys, userPk } from "#lib/data/keys";
import { batchGet, fromUserItem, updateUser } from "#lib/data/users";
import { badRequest, unauthorized } from "#lib/errors";

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

export function tokenItem(userId: string, sessionId: string, accessToken: string, issuedAt: number) {
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

export const asResponse = (tokens: CognitoTokens): TokenResponse => ({
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

/**
 * Every token and session issued before now stops working, optionally except one session (the
 * caller's, on a password change). Our marker does it on the next request; Cognito is told too:
 * a global sign-out when nothing is kept, else each other session's refresh token is revoked
 * (a global sign-out would also end the kept session at Cognito).
 */
export async function revokeAllSessions(userId: string, keepSessionId?: string): Promise<void> {
  await updateUser(
    userId,
    { tokensValidAfter: Date.now() + 1, ...(keepSessionId ? { keptSessionId: keepSessionId } : {}) },
    { remove: keepSessionId ? [] : ["keptSessionId"] },
  );
  if (!keepSessionId) {
    await signOutEverywhere(userId);
    return;
  }
  const sessions = await dynamodb.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :session)",
      FilterExpression: "attribute_not_exists(revokedAt) AND sessionId <> :kept",
      ExpressionAttributeValues: { ":pk": userPk(userId), ":session": "SESSION#", ":kept": keepSessionId },
      ProjectionExpression: "refreshTokenEnc",
    }),
  );
  await Promise.all(
    (sessions.Items ?? [])
      .filter((s) => typeof s.refreshTokenEnc === "string")
      .map(async (s) => revokeRefreshToken(await decryptField(s.refreshTokenEnc as string, `${userId}:refresh`))),
  );
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
