import { PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { type CognitoTokens, CredentialsRejected, refreshAuth, revokeRefreshToken, signOutEverywhere } from "#lib/clients/cognito";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { decryptField, digest } from "#lib/crypto/fields";
import { batchGet } from "#lib/data/batch";
import { userPk } from "#lib/data/keys";
import { findRefresh } from "#lib/data/refresh";
import { fromSessionItem, getSession, SESSION_PREFIX, sessionKey } from "#lib/data/session";
import { TOKEN_PREFIX, toTokenItem } from "#lib/data/token";
import { type TransactItem, transactWrite } from "#lib/data/transactions";
import { fromUserItem, userKey } from "#lib/data/user";
import { unauthorized } from "#lib/errors";
import { asResponse, type TokenResponse, tokenRecordOf } from "#lib/identity/tokens";

// Sessions: Cognito issues the tokens; we record each session (one per login) and each access
// token we hand out. The auth layer accepts only recorded, unrevoked tokens, so logout, password
// reset and incident measures take effect on the very next request.

const sessionEnded = () => unauthorized("The session has ended; sign in again.", "INVALID_REFRESH_TOKEN");

export async function refresh(refreshToken: string): Promise<TokenResponse> {
  const lookup = await findRefresh(digest(refreshToken));
  if (!lookup) throw sessionEnded();
  const { userId, sessionId } = lookup;
  const [userItem, sessionItem] = await batchGet([userKey(userId), sessionKey(userId, sessionId)]);
  const user = fromUserItem(userItem);
  const session = fromSessionItem(sessionItem);
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
  const token = tokenRecordOf(tokens.accessToken, sessionId, Date.now());
  await dynamodb.send(new PutCommand({ TableName: tableName(), Item: toTokenItem(userId, token.jti, token.record) }));
  return asResponse({ ...tokens, refreshToken: undefined });
}

/** Ends the caller's session (or all of the user's sessions); the token used stops working at once. */
export async function logout(userId: string, sessionId: string, allDevices: boolean): Promise<void> {
  const session = await getSession(userId, sessionId);
  if (allDevices) await revokeAllSessions(userId);
  else await revokeSession(userId, sessionId, Date.now());
  if (session?.refreshTokenEnc) await revokeRefreshToken(await decryptField(session.refreshTokenEnc, `${userId}:refresh`));
}

/**
 * Every token and session issued before now stops working, optionally except one session (the
 * caller's, on a password change). Our marker does it on the next request; Cognito is told too:
 * a global sign-out when nothing is kept, else each other session's refresh token is revoked
 * (a global sign-out would also end the kept session at Cognito). `alongside` items (a notice to
 * the user) are written in the same transaction as the mark.
 */
export async function revokeAllSessions(userId: string, keepSessionId?: string, alongside: TransactItem[] = []): Promise<void> {
  await transactWrite({
    TransactItems: [
      {
        Update: {
          TableName: tableName(),
          Key: userKey(userId),
          UpdateExpression: keepSessionId
            ? "SET tokensValidAfter = :after, updatedAt = :now, keptSessionId = :kept"
            : "SET tokensValidAfter = :after, updatedAt = :now REMOVE keptSessionId",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeValues: { ":after": Date.now() + 1, ":now": new Date().toISOString(), ...(keepSessionId ? { ":kept": keepSessionId } : {}) },
        },
      },
      ...alongside,
    ],
  });
  if (!keepSessionId) {
    await signOutEverywhere(userId);
    return;
  }
  const sessions = await dynamodb.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :session)",
      FilterExpression: "attribute_not_exists(revokedAt) AND sessionId <> :kept",
      ExpressionAttributeValues: { ":pk": userPk(userId), ":session": SESSION_PREFIX, ":kept": keepSessionId },
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
      ExpressionAttributeValues: { ":pk": userPk(userId), ":token": TOKEN_PREFIX, ":sid": sessionId, ":now": now },
      ProjectionExpression: "PK, SK",
    }),
  );
  const revoke = (Key: Record<string, unknown>) =>
    dynamodb.send(new UpdateCommand({ TableName, Key, UpdateExpression: "SET revokedAt = :now", ExpressionAttributeValues: { ":now": now } }));
  await Promise.all([revoke(sessionKey(userId, sessionId)), ...(tokens.Items ?? []).map((item) => revoke({ PK: item.PK, SK: item.SK }))]);
}
