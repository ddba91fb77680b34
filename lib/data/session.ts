import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { ttlAfter, userPk } from "#lib/data/keys";

// Sessions: one per login, in the user's partition. Clients hold a refresh token of ours, which
// rotates on every refresh; the session keeps the digest of the current one, and Cognito's own
// refresh token encrypted (to get new access tokens, and to revoke it at Cognito on logout).

export const ENTITY = "SESSION";
export const SESSION_TTL_SECONDS = 30 * 24 * 3600;

export interface SessionRecord {
  sessionId: string;
  createdAt: number;
  revokedAt?: number;
  /** Digest of the one refresh token of ours that is valid now (rotated on every refresh). */
  refreshHash: string;
  /** How many times it rotated. */
  refreshGeneration: number;
  /** Cognito's refresh token of the session, encrypted (AES-GCM, bound to the user). */
  cognitoRefreshEnc?: string;
  ip: string;
  userAgent: string;
}

export const sessionKey = (userId: string, sessionId: string) => ({ PK: userPk(userId), SK: `SESSION#${sessionId}` });
export const SESSION_PREFIX = "SESSION#";

export const toSessionItem = (userId: string, session: SessionRecord) => ({
  ...sessionKey(userId, session.sessionId),
  entity: ENTITY,
  ...session,
  ttl: ttlAfter(SESSION_TTL_SECONDS, session.createdAt),
});

export const fromSessionItem = (item: Record<string, unknown> | undefined): SessionRecord | undefined =>
  item?.entity === ENTITY ? (item as unknown as SessionRecord) : undefined;

export async function getSession(userId: string, sessionId: string): Promise<SessionRecord | undefined> {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: sessionKey(userId, sessionId) }));
  return fromSessionItem(out.Item);
}
