import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeClaims, InvalidToken, KeysUnavailable, remoteKeySet, TokenExpired, verifyToken } from "#lib/auth/jwt";

// The lean RS256 verifier against tokens made by an independent JOSE implementation, and a JWKS
// served on loopback that counts how often it is asked.
type Keys = Awaited<ReturnType<typeof generateKeyPair>>;
let server: Server;
let url: string;
let served: Record<string, unknown>[] = [];
let fetches = 0;
let status = 200;
let ours: Keys;
let stranger: Keys;
const ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_unit";
const base = { jti: "t1", username: "u1", token_use: "access" };

const sign = (claims: JWTPayload, { kid = "k1", key = ours.privateKey, exp = "5m" as string | number, iat = true } = {}) => {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid }).setIssuer(ISSUER).setExpirationTime(exp);
  return (iat ? jwt.setIssuedAt() : jwt).sign(key);
};
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const keys = (options: Partial<Parameters<typeof remoteKeySet>[1]> = {}) => remoteKeySet(url, { maxAgeMs: 3_600_000, cooldownMs: 30_000, timeoutMs: 500, ...options });

beforeAll(async () => {
  ours = await generateKeyPair("RS256", { extractable: true });
  stranger = await generateKeyPair("RS256", { extractable: true });
  served = [{ ...(await exportJWK(ours.publicKey)), kid: "k1", alg: "RS256", use: "sig" }];
  server = createServer((_req, res) => {
    fetches++;
    res.statusCode = status;
    res.setHeader("content-type", "application/json").end(JSON.stringify({ keys: served }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});
afterAll(() => server.close());

describe("verifyToken", () => {
  it("returns the claims of a token signed by a published key", async () => {
    const claims = await verifyToken(await sign(base), keys(), ISSUER);
    expect(claims).toMatchObject({ ...base, iss: ISSUER });
    expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
  });

  it.each([
    ["a key the issuer does not publish", async () => sign(base, { key: stranger.privateKey })],
    ["an unknown kid", async () => sign(base, { kid: "k9" })],
    ["a changed payload", async () => { const [h, , s] = (await sign(base)).split("."); return `${h}.${b64({ ...base, username: "admin", iss: ISSUER, exp: 9e9, iat: 1 })}.${s}`; }],
    ["alg none", async () => `${b64({ alg: "none", kid: "k1" })}.${b64({ ...base, iss: ISSUER, exp: 9e9, iat: 1 })}.`],
    ["HS256 keyed with the public key", async () => { const [, p, s] = (await sign(base)).split("."); return `${b64({ alg: "HS256", kid: "k1" })}.${p}.${s}`; }],
    ["a crit header", async () => { const [, p, s] = (await sign(base)).split("."); return `${b64({ alg: "RS256", kid: "k1", crit: ["x"] })}.${p}.${s}`; }],
    ["another issuer", async () => new SignJWT(base).setProtectedHeader({ alg: "RS256", kid: "k1" }).setIssuer("https://evil.example").setIssuedAt().setExpirationTime("5m").sign(ours.privateKey)],
    ["no jti", async () => sign({ username: "u1" })],
    ["no iat", async () => sign(base, { iat: false })],
    ["a future nbf", async () => sign({ ...base, nbf: Math.floor(Date.now() / 1000) + 60 })],
    ["four segments", async () => `${await sign(base)}.x`],
    ["a header that is not JSON", async () => { const [, p, s] = (await sign(base)).split("."); return `bm90IGpzb24.${p}.${s}`; }],
    ["a payload that is an array", async () => `${b64({ alg: "RS256", kid: "k1" })}.${b64([1])}.AAAA`],
  ])("refuses %s as invalid", async (_what, make) => {
    await expect(verifyToken(await make(), keys(), ISSUER)).rejects.toBeInstanceOf(InvalidToken);
  });

  it("tells an expired token apart (same signature rules)", async () => {
    await expect(verifyToken(await sign(base, { exp: Math.floor(Date.now() / 1000) - 1 }), keys(), ISSUER)).rejects.toBeInstanceOf(TokenExpired);
    await expect(verifyToken(await sign(base, { exp: Math.floor(Date.now() / 1000) - 1, key: stranger.privateKey }), keys(), ISSUER)).rejects.toBeInstanceOf(InvalidToken);
  });
});

describe("remoteKeySet", () => {
  it("fetches once for many tokens, and an unknown kid at most once per cooldown", async () => {
    fetches = 0;
    const keyOf = keys();
    const token = await sign(base);
    await Promise.all([verifyToken(token, keyOf, ISSUER), verifyToken(token, keyOf, ISSUER)]);
    for (let i = 0; i < 5; i++) await expect(verifyToken(await sign(base, { kid: `forged${i}` }), keyOf, ISSUER)).rejects.toBeInstanceOf(InvalidToken);
    expect(fetches).toBe(1);
  });

  it("picks up a rotated key after the cooldown", async () => {
    const keyOf = keys({ cooldownMs: 0 });
    await verifyToken(await sign(base), keyOf, ISSUER);
    const rotated = await generateKeyPair("RS256", { extractable: true });
    served = [...served, { ...(await exportJWK(rotated.publicKey)), kid: "k2", alg: "RS256", use: "sig" }];
    await expect(verifyToken(await sign(base, { kid: "k2", key: rotated.privateKey }), keyOf, ISSUER)).resolves.toMatchObject({ jti: "t1" });
  });

  it("ignores keys for other uses or algorithms", async () => {
    const saved = served;
    served = [{ ...served[0], use: "enc" }];
    await expect(verifyToken(await sign(base), keys(), ISSUER)).rejects.toBeInstanceOf(InvalidToken);
    served = saved;
  });

  it("reports the keys as unavailable (not the token as invalid) when the issuer fails or does not answer", async () => {
    status = 500;
    await expect(verifyToken(await sign(base), keys(), ISSUER)).rejects.toBeInstanceOf(KeysUnavailable);
    status = 200;
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const hanging = remoteKeySet(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/jwks`, { maxAgeMs: 1, cooldownMs: 1, timeoutMs: 100 });
    await expect(verifyToken(await sign(base), hanging, ISSUER)).rejects.toBeInstanceOf(KeysUnavailable);
    silent.closeAllConnections();
    silent.close();
  });
});

describe("decodeClaims", () => {
  it("reads the claims without verifying, and refuses what is not a JWT", async () => {
    expect(decodeClaims(await sign(base))).toMatchObject(base);
    expect(() => decodeClaims("nothing")).toThrow(InvalidToken);
  });
});
