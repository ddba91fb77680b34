import { InvalidToken, KeysUnavailable, remoteKeySet, type TokenClaims, TokenExpired, verifyToken } from "#lib/auth/jwt";
import { effectivePermissions, isStaffGroup, type Permission } from "#lib/auth/permissions";
import { config } from "#lib/config";
import { batchGet } from "#lib/data/batch";
import { fromTokenItem, tokenKey } from "#lib/data/token";
import { fromUserItem, type UserRecord, userKey } from "#lib/data/user";
import { forbidden, isDependencyFailure, serviceUnavailable, unauthorized } from "#lib/errors";

/** Who is calling, established once per request by authenticate(). */
export interface AuthContext {
  userId: string;
  user: UserRecord;
  groups: string[];
  permissions: Permission[];
  staff: boolean;
  sessionId: string;
  tokenId: string;
  accessToken: string;
}

let jwks: ReturnType<typeof remoteKeySet> | undefined;
const keySet = () => (jwks ??= remoteKeySet(`${config().cognitoIssuer}/.well-known/jwks.json`, { cooldownMs: 30_000, maxAgeMs: 3_600_000, timeoutMs: config().awsTimeoutMs }));

// Signatures this container has verified, until the token expires: a signature check is the same
// every time, and the table is read on every request anyway (revocation, status, groups).
const VERIFIED_MAX = 1000;
const verified = new Map<string, TokenClaims>();

async function claimsOf(accessToken: string, issuer: string): Promise<TokenClaims> {
  const known = verified.get(accessToken);
  if (known && known.exp * 1000 > Date.now()) return known;
  if (known) verified.delete(accessToken);
  const claims = await verifyToken(accessToken, keySet(), issuer);
  if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value as string); // oldest first
  verified.set(accessToken, claims);
  return claims;
}

/**
 * The "login decorator": a Cognito access token is accepted only if its signature, issuer,
 * token_use, client and expiry check out AND we issued it through our own login/refresh (a token
 * record exists), it was not revoked (logout, reset, incident) and the account is active. The user
 * and token records are read in one round trip.
 */
export async function authenticate(authorization: string | undefined): Promise<AuthContext> {
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(authorization?.trim() ?? "");
  if (!match?.[1]) throw unauthorized();
  const accessToken = match[1];
  const c = config();

  let claims: TokenClaims;
  try {
    claims = await claimsOf(accessToken, c.cognitoIssuer);
  } catch (error) {
    if (error instanceof TokenExpired) throw unauthorized("The access token has expired.", "TOKEN_EXPIRED");
    // The keys could not be fetched: nothing is known about the token, so no 401 (clients would sign their users out).
    if (error instanceof KeysUnavailable || isDependencyFailure(error)) throw serviceUnavailable("The sign-in service cannot be reached; try again shortly.");
    if (error instanceof InvalidToken || error instanceof SyntaxError) throw unauthorized("The access token is not valid.", "INVALID_TOKEN");
    throw error;
  }
  if (claims.token_use !== "access") throw unauthorized("An access token is required (not an id or refresh token).", "INVALID_TOKEN");
  if (claims.client_id !== c.userPoolClientId) throw unauthorized("The access token is not valid.", "INVALID_TOKEN");
  const userId = typeof claims.username === "string" ? claims.username : undefined;
  const tokenId = claims.jti;
  if (!userId || !tokenId) throw unauthorized("The access token is not valid.", "INVALID_TOKEN");

  const [userItem, tokenItem] = await batchGet([userKey(userId), tokenKey(userId, tokenId)]);
  const user = fromUserItem(userItem);
  const token = fromTokenItem(tokenItem);
  if (!user || !token || token.revokedAt || token.expiresAt <= Date.now()) throw unauthorized("The session has ended; sign in again.", "TOKEN_REVOKED");
  // A suspended account says so (its revocation mark would also end the token; the reason is clearer).
  if (user.status === "SUSPENDED") throw forbidden("ACCOUNT_SUSPENDED", "This account is suspended.");
  const keptSession = user.keptSessionId !== undefined && user.keptSessionId === token.sessionId;
  if (user.tokensValidAfter && token.issuedAt < user.tokensValidAfter && !keptSession) {
    throw unauthorized("The session has ended; sign in again.", "TOKEN_REVOKED");
  }
  if (user.status !== "ACTIVE") throw unauthorized("The session has ended; sign in again.", "TOKEN_REVOKED");

  // Groups come from our user item, read in this same round trip, never from the token's
  // cognito:groups claim: a change of groups, level or grants acts on the very next request.
  const groups = (user.groups ?? []).filter(isStaffGroup);
  return {
    userId,
    user,
    groups,
    staff: groups.length > 0,
    permissions: effectivePermissions({
      level: user.level,
      groups,
      grants: user.permissionGrants,
      revokes: user.permissionRevokes,
      creditTier: user.creditTier,
    }),
    sessionId: token.sessionId,
    tokenId,
    accessToken,
  };
}
