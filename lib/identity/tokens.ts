import { decodeClaims } from "#lib/auth/jwt";
import type { CognitoTokens } from "#lib/clients/cognito";
import type { TokenRecord } from "#lib/data/token";

// The tokens we hand out: Cognito issues them; we record each access token (by its jti) so the
// auth layer can refuse any we did not issue or that was revoked.

export interface TokenResponse {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  expiresIn: number;
  tokenType: "Bearer";
}

/** The record of an access token about to be handed out, and its jti. */
export function tokenRecordOf(accessToken: string, sessionId: string, issuedAt: number): { jti: string; record: TokenRecord } {
  const claims = decodeClaims(accessToken);
  const expiresAt = (typeof claims.exp === "number" ? claims.exp : Math.floor(issuedAt / 1000) + 3600) * 1000;
  return { jti: String(claims.jti), record: { sessionId, issuedAt, expiresAt } };
}

export const asResponse = (tokens: CognitoTokens): TokenResponse => ({
  accessToken: tokens.accessToken,
  idToken: tokens.idToken,
  ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
  expiresIn: tokens.expiresIn,
  tokenType: "Bearer",
});
