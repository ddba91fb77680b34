import { userPk } from "#lib/data/keys";

// Access-token records: one per access token we hand out (login or refresh), keyed by its jti.
// The auth check accepts a token only if its record exists and is not revoked.

export const ENTITY = "TOKEN";
export const TOKEN_PREFIX = "TOKEN#";

export interface TokenRecord {
  sessionId: string;
  issuedAt: number;
  expiresAt: number;
  revokedAt?: number;
}

export const tokenKey = (userId: string, jti: string) => ({ PK: userPk(userId), SK: `${TOKEN_PREFIX}${jti}` });

export const toTokenItem = (userId: string, jti: string, token: TokenRecord) => ({
  ...tokenKey(userId, jti),
  entity: ENTITY,
  ...token,
  ttl: Math.ceil(token.expiresAt / 1000) + 60,
});

export const fromTokenItem = (item: Record<string, unknown> | undefined): TokenRecord | undefined =>
  item?.entity === ENTITY ? (item as unknown as TokenRecord) : undefined;
