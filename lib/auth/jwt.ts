import { createPublicKey, type JsonWebKey, type KeyObject, verify } from "node:crypto";

// Verifies Cognito's access tokens: RS256 only, with the keys the issuer publishes. Written on
// node:crypto rather than a JOSE library because this one algorithm is all we accept, and the
// library was the largest part of every authenticated function after the AWS SDK (18 KB of 300).
// Anything unexpected is an invalid token: no `alg: none`, no HMAC with a public key, no key
// outside the issuer's set.

export interface TokenClaims {
  [claim: string]: unknown;
  iss: string;
  exp: number;
  iat: number;
  jti: string;
}

/** The token's signature or claims do not check out. */
export class InvalidToken extends Error {
  override name = "InvalidToken";
}
/** Valid signature, but past its `exp`. */
export class TokenExpired extends Error {
  override name = "TokenExpired";
}
/** The issuer's keys could not be fetched: nothing is known about the token. */
export class KeysUnavailable extends Error {
  override name = "KeysUnavailable";
}

export interface KeySetOptions {
  /** Keys are fetched again after this long. */
  maxAgeMs: number;
  /** An unknown `kid` refetches at most this often (a stream of forged kids must not hammer the issuer). */
  cooldownMs: number;
  timeoutMs: number;
}

/** The issuer's JWKS, fetched lazily, cached, and refetched when a token names a key we do not have. */
export function remoteKeySet(url: string, options: KeySetOptions): (kid: string) => Promise<KeyObject | undefined> {
  let keys = new Map<string, KeyObject>();
  let fetchedAt = -Infinity;
  let pending: Promise<void> | undefined;

  const refresh = () =>
    (pending ??= (async () => {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs) });
        if (!response.ok) throw new KeysUnavailable(`JWKS answered ${response.status}`);
        const body = (await response.json()) as { keys?: (JsonWebKey & { kid?: string; use?: string; alg?: string })[] };
        const next = new Map<string, KeyObject>();
        for (const jwk of body.keys ?? []) {
          if (jwk.kty !== "RSA" || typeof jwk.kid !== "string" || (jwk.use && jwk.use !== "sig") || (jwk.alg && jwk.alg !== "RS256")) continue;
          next.set(jwk.kid, createPublicKey({ key: jwk, format: "jwk" }));
        }
        keys = next;
        fetchedAt = Date.now();
      } catch (error) {
        throw error instanceof KeysUnavailable ? error : new KeysUnavailable(`JWKS not fetched: ${(error as Error).name}`);
      } finally {
        pending = undefined;
      }
    })());

  return async (kid) => {
    const age = Date.now() - fetchedAt;
    if (age > options.maxAgeMs || (!keys.has(kid) && age > options.cooldownMs)) await refresh();
    return keys.get(kid);
  };
}

const part = (segment: string): Record<string, unknown> => {
  const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidToken("not a JSON object");
  return value as Record<string, unknown>;
};

/** The claims of a token, unverified (for tokens we just received from Cognito ourselves). */
export function decodeClaims(token: string): Record<string, unknown> {
  const payload = token.split(".")[1];
  if (!payload) throw new InvalidToken("not a JWT");
  return part(payload);
}

/**
 * The claims of an RS256 token signed by one of `keyOf`'s keys and issued by `issuer`, with `exp`,
 * `iat` and `jti` present and `exp` (and any `nbf`) honoured. Throws InvalidToken, TokenExpired
 * or KeysUnavailable.
 */
export async function verifyToken(token: string, keyOf: (kid: string) => Promise<KeyObject | undefined>, issuer: string, now = Date.now()): Promise<TokenClaims> {
  const [headerPart, payloadPart, signaturePart, ...rest] = token.split(".");
  if (!headerPart || !payloadPart || !signaturePart || rest.length > 0) throw new InvalidToken("not a JWT");
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = part(headerPart);
    claims = part(payloadPart);
  } catch {
    throw new InvalidToken("malformed");
  }
  if (header.alg !== "RS256" || typeof header.kid !== "string" || "crit" in header) throw new InvalidToken("unexpected header");
  const key = await keyOf(header.kid);
  if (!key) throw new InvalidToken("unknown key");
  if (!verify("RSA-SHA256", Buffer.from(`${headerPart}.${payloadPart}`), key, Buffer.from(signaturePart, "base64url"))) throw new InvalidToken("bad signature");

  const seconds = now / 1000;
  if (claims.iss !== issuer) throw new InvalidToken("wrong issuer");
  if (typeof claims.exp !== "number" || typeof claims.iat !== "number" || typeof claims.jti !== "string" || !claims.jti) throw new InvalidToken("missing claims");
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || claims.nbf > seconds)) throw new InvalidToken("not yet valid");
  if (claims.exp <= seconds) throw new TokenExpired("expired");
  return claims as TokenClaims;
}
