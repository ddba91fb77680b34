import { randomBytes } from "node:crypto";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { CredentialsRejected, refreshAuth, revokeRefreshToken, signOutEverywhere } from "#lib/clients/cognito";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { decryptField, digest } from "#lib/crypto/fields";
import { batchGet } from "#lib/data/batch";
import { userPk } from "#lib/data/keys";
import { queryAll } from "#lib/data/query";
import { findRefresh, refreshKey, toRefreshItem } from "#lib/data/refresh";
import { fromSessionItem, getSession, SESSION_PREFIX, sessionKey } from "#lib/data/session";
import { TOKEN_PREFIX, toTokenItem } from "#lib/data/token";
import { type TransactItem, TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { fromUserItem, userKey } from "#lib/data/user";
import { unauthorized } from "#lib/errors";
import { logger } from "#lib/logger";
import { asResponse, type TokenResponse, tokenRecordOf } from "#lib/identity/tokens";

// Sessions: Cognito issues the tokens; we record each session (one per login) and each access
// token we hand out. The auth layer accepts only recorded, unrevoked tokens, so logout, password
// reset and incident measures take effect on the very next request.
//
// Refresh tokens are ours and rotate (OAuth 2.0 Security BCP for public clients): each refresh
// hands out a new one and the old one stops working; presenting an old one again means it was
// stolen, and ends the whole session. A token is born valid only if its session is still live:
// the token record is written in one transaction with the rotation (conditioned on the session not
// being revoked) and a check that no revocation mark of the user is newer than the session, and
// revocation marks the session before it lists its tokens; so no interleaving with logout,
// logout-all, reset or suspension leaves a working token.

const sessionEnded = () => unauthorized("The session has ended; sign in again.", "INVALID_REFRESH_TOKEN");

/** A new refresh token of ours (256 random bits) and its digest. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: digest(token) };
}

export async function refresh(presented: string): Promise<TokenResponse> {
  const presentedHash = digest(presented);
  const lookup = await findRefresh(presentedHash);
  if (!lookup) throw sessionEnded();
  const { userId, sessionId } = lookup;
  const [userItem, sessionItem] = await batchGet([userKey(userId), sessionKey(userId, sessionId)], { consistent: true });
  const user = fromUserItem(userItem);
  const session = fromSessionItem(sessionItem);
  if (!user || !session || session.revokedAt || user.status !== "ACTIVE") throw sessionEnded();
  if (lookup.usedAt !== undefined || session.refreshHash !== presentedHash) return reuseDetected(userId, sessionId);
  const kept = user.keptSessionId === sessionId;
  if (user.tokensValidAfter && session.createdAt < user.tokensValidAfter && !kept) throw sessionEnded();
  if (!session.cognitoRefreshEnc) throw sessionEnded();

  const issuedAt = Date.now();
  let cognitoTokens;
  try {
    cognitoTokens = await refreshAuth(await decryptField(session.cognitoRefreshEnc, `${userId}:refresh`));
  } catch (error) {
    if (error instanceof CredentialsRejected) throw sessionEnded();
    throw error;
  }
  const next = newRefreshToken();
  const token = tokenRecordOf(cognitoTokens.accessToken, sessionId, issuedAt);
  const TableName = tableName();
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName,
            Key: sessionKey(userId, sessionId),
            UpdateExpression: "SET refreshHash = :next, lastRefreshAt = :now ADD refreshGeneration :one",
            ConditionExpression: "refreshHash = :presented AND attribute_not_exists(revokedAt)",
            ExpressionAttributeValues: { ":next": next.hash, ":presented": presentedHash, ":now": issuedAt, ":one": 1 },
          },
        },
        {
          ConditionCheck: {
            TableName,
            Key: userKey(userId),
            // Signed out everywhere (or reset, suspended) since this session began: it is over, and no
            // token may be born from it, whenever this refresh started.
            ConditionExpression: "#status = :active AND (attribute_not_exists(tokensValidAfter) OR tokensValidAfter <= :sessionStart OR keptSessionId = :sid)",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: { ":active": "ACTIVE", ":sessionStart": session.createdAt, ":sid": sessionId },
          },
        },
        { Put: { TableName, Item: toTokenItem(userId, token.jti, token.record), ConditionExpression: "attribute_not_exists(PK)" } },
        { Put: { TableName, Item: toRefreshItem(next.hash, { userId, sessionId }, issuedAt), ConditionExpression: "attribute_not_exists(PK)" } },
        {
          Update: {
            TableName,
            Key: refreshKey(presentedHash),
            UpdateExpression: "SET usedAt = :now",
            ConditionExpression: "attribute_not_exists(usedAt)",
            ExpressionAttributeValues: { ":now": issuedAt },
          },
        },
      ],
    });
  } catch (error) {
    // Only conflicts, no failed condition: a transient clash, not the end of the session (409, retry).
    if (!(error instanceof TransactionCancelled) || error.failedAt() === -1) throw error;
    // The session rotated meanwhile (another refresh with the same token won): a replay.
    if (error.reasons[0] === "ConditionalCheckFailed" || error.reasons[4] === "ConditionalCheckFailed") return reuseDetected(userId, sessionId);
    throw sessionEnded(); // revoked, suspended or signed out everywhere meanwhile
  }
  return asResponse({ ...cognitoTokens, refreshToken: next.token });
}

/** A rotated-out refresh token came back: whoever holds the session's tokens is not to be trusted. */
async function reuseDetected(userId: string, sessionId: string): Promise<never> {
  logger.warn("refresh token reused: the session is revoked", { userId, sessionId });
  await revokeSession(userId, sessionId, Date.now());
  throw sessionEnded();
}

/** Ends the caller's session (or all of the user's sessions); the token used stops working at once. */
export async function logout(userId: string, sessionId: string, allDevices: boolean): Promise<void> {
  const session = await getSession(userId, sessionId);
  if (allDevices) await revokeAllSessions(userId);
  else await revokeSession(userId, sessionId, Date.now());
  if (session?.cognitoRefreshEnc) await revokeRefreshToken(await decryptField(session.cognitoRefreshEnc, `${userId}:refresh`));
}

/**
 * Every token and session issued before now stops working, optionally except one session (the
 * caller's, on a password change). Our mark does it on the next request (and refuses any token a
 * racing refresh would record); Cognito is told too: a global sign-out when nothing is kept, else
 * each other session's refresh token is revoked. `alongside` items (a notice to the user) are
 * written in the same transaction as the mark.
 */
export async function revokeAllSessions(userId: string, keepSessionId?: string, alongside: TransactItem[] = []): Promise<void> {
  await transactWrite({ TransactItems: [revocationMark(userId, keepSessionId), ...alongside] });
  if (!keepSessionId) {
    await signOutEverywhere(userId);
    return;
  }
  const sessions = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: "PK = :pk AND begins_with(SK, :session)",
    FilterExpression: "attribute_not_exists(revokedAt) AND sessionId <> :kept",
    ExpressionAttributeValues: { ":pk": userPk(userId), ":session": SESSION_PREFIX, ":kept": keepSessionId },
    ProjectionExpression: "cognitoRefreshEnc",
  });
  await Promise.all(
    sessions
      .filter((s) => typeof s.cognitoRefreshEnc === "string")
      .map(async (s) => revokeRefreshToken(await decryptField(s.cognitoRefreshEnc as string, `${userId}:refresh`))),
  );
}

/** The transaction item that sets a user's revocation mark: tokens issued before it are refused. */
export function revocationMark(userId: string, keepSessionId?: string): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: userKey(userId),
      UpdateExpression: keepSessionId ? "SET tokensValidAfter = :after, updatedAt = :now, keptSessionId = :kept" : "SET tokensValidAfter = :after, updatedAt = :now REMOVE keptSessionId",
      ConditionExpression: "attribute_exists(PK)",
      ExpressionAttributeValues: { ":after": Date.now() + 1, ":now": new Date().toISOString(), ...(keepSessionId ? { ":kept": keepSessionId } : {}) },
    },
  };
}

/** Marks the session revoked FIRST (a racing refresh can then no longer record a token), then revokes the token records it has. */
export async function revokeSession(userId: string, sessionId: string, now: number): Promise<void> {
  const TableName = tableName();
  const revoke = (Key: Record<string, unknown>) =>
    dynamodb.send(new UpdateCommand({ TableName, Key, UpdateExpression: "SET revokedAt = :now", ExpressionAttributeValues: { ":now": now } }));
  await revoke(sessionKey(userId, sessionId));
  // Every page: the token records of all a user's sessions share one partition.
  const tokens = await queryAll({
    TableName,
    KeyConditionExpression: "PK = :pk AND begins_with(SK, :token)",
    FilterExpression: "sessionId = :sid AND expiresAt > :now",
    ExpressionAttributeValues: { ":pk": userPk(userId), ":token": TOKEN_PREFIX, ":sid": sessionId, ":now": now },
    ProjectionExpression: "PK, SK",
    ConsistentRead: true,
  });
  await Promise.all(tokens.map((item) => revoke({ PK: item.PK, SK: item.SK })));
}
