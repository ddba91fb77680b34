import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { ttlAfter, userPk } from "#lib/data/keys";

// Sessions: one per login, in the user's partition. The refresh token is kept encrypted (to revoke
// it at Cognito on logout) and as a digest (to find the session from a refresh request).

export const ENTITY = "SESSION";
export const SESSION_TTL_SECONDS = 30 * 24 * 3600;

export interface SessionRecord {
  sessionId: string;
  createdAt: number;
  revokedAt?: number;
  refreshHash?: string;
  refreshTokenEnc?: string;
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
