import { createRemoteJWKSet, type JWTPayload, errors as joseErrors, jwtVerify } from "jose";
import { effectivePermissions, isStaff, type Permission } from "#lib/auth/permissions";
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

let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
const keySet = () => {
  jwks ??= createRemoteJWKSet(new URL(`${config().cognitoIssuer}/.well-known/jwks.json`), {
    cooldownDuration: 30_000,
    cacheMaxAge: 3_600_000,
    timeoutDuration: config().awsTimeoutMs,
  });
  return jwks;
};

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

  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(accessToken, keySet(), { issuer: c.cognitoIssuer, algorithms: ["RS256"] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw unauthorized("The access token has expired.", "TOKEN_EXPIRED");
    // The keys could not be fetched: nothing is known about the token, so no 401 (clients would sign their users out).
    if (error instanceof joseErrors.JWKSTimeout || isDependencyFailure(error)) throw serviceUnavailable("The sign-in service cannot be reached; try again shortly.");
    throw unauthorized("The access token is not valid.", "INVALID_TOKEN");
  }
  if (claims.token_use !== "access") throw unauthorized("An access token is required (not an id or refresh token).", "INVALID_TOKEN");
  if (claims.client_id !== c.userPoolClientId) throw unauthorized("The access token is not valid.", "INVALID_TOKEN");
  const userId = typeof claims.username === "string" ? claims.username : undefined;
  const tokenId = claims.jti;
  if (!userId || !tokenId) throw unauthorized("The access token is not valid.", "INVALID_TOKEN");

  const [userItem, tokenItem] = await batchGet([userKey(userId), tokenKey(userId, tokenId)]);
  const user = fromUserItem(userItem);
  const token = fromTokenItem(tokenItem);
  if (!user || !token || token.revokedAt) throw unauthorized("The session has ended; sign in again.", "TOKEN_REVOKED");
  const keptSession = user.keptSessionId !== undefined && user.keptSessionId === token.sessionId;
  if (user.tokensValidAfter && token.issuedAt < user.tokensValidAfter && !keptSession) {
    throw unauthorized("The session has ended; sign in again.", "TOKEN_REVOKED");
  }
  if (user.status === "SUSPENDED") throw forbidden("ACCOUNT_SUSPENDED", "This account is suspended.");
  if (user.status !== "ACTIVE") throw unauthorized("The session has ended; sign in again.", "TOKEN_REVOKED");

  const groups = Array.isArray(claims["cognito:groups"]) ? (claims["cognito:groups"] as string[]) : [];
  return {
    userId,
    user,
    groups,
    staff: isStaff(groups),
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
