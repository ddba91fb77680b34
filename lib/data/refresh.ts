import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { ttlAfter } from "#lib/data/keys";
import { SESSION_TTL_SECONDS } from "#lib/data/session";

// The refresh-token lookup: from the digest of one of our refresh tokens to its user and session.
// A token that was rotated out keeps its lookup (marked used) until the session would expire, so a
// replay of it is recognised and ends the session.

export const ENTITY = "REFRESH";

export interface RefreshLookup {
  userId: string;
  sessionId: string;
  /** When a refresh rotated this token out; presenting it again means it was stolen. */
  usedAt?: number;
}

export const refreshKey = (refreshHash: string) => ({ PK: `REFRESH#${refreshHash}`, SK: "REFRESH" });

export const toRefreshItem = (refreshHash: string, lookup: RefreshLookup, createdAt: number) => ({
  ...refreshKey(refreshHash),
  entity: ENTITY,
  ...lookup,
  ttl: ttlAfter(SESSION_TTL_SECONDS, createdAt),
});

export async function findRefresh(refreshHash: string): Promise<RefreshLookup | undefined> {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: refreshKey(refreshHash), ConsistentRead: true }));
  return out.Item?.entity === ENTITY ? (out.Item as unknown as RefreshLookup) : undefined;
}
