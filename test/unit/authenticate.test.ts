import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { BatchGetCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type * as AuthModule from "#lib/auth/authenticate";

// The auth layer against a JWKS served on loopback (as Cognito serves it) and a mocked table.
const ddb = mockClient(DynamoDBDocumentClient);
let server: Server;
let issuer: string;
let sign: (claims: JWTPayload, expiresIn?: string) => Promise<string>;
let authenticate: typeof AuthModule.authenticate;

const user = (overrides: Record<string, unknown> = {}) => ({
  PK: "USER#u1",
  SK: "PROFILE",
  entity: "USER",
  userId: "u1",
  username: "alice",
  status: "ACTIVE",
  level: "NEWBIE",
  identityStatus: "NONE",
  creditScore: 600,
  creditTier: "FAIR",
  points: 0,
  consent: { privacyPolicyVersion: "2026-11", at: "x" },
  createdAt: "2026-11-01T00:00:00.000Z",
  updatedAt: "2026-11-01T00:00:00.000Z",
  ...overrides,
});
const token = (overrides: Record<string, unknown> = {}) => ({ PK: "USER#u1", SK: "TOKEN#t1", entity: "TOKEN", sessionId: "s1", issuedAt: 1_000, expiresAt: 9e15, ...overrides });
const stored = (...items: Record<string, unknown>[]) => ddb.on(BatchGetCommand).resolves({ Responses: { "unit-table": items } });
const access = { token_use: "access", client_id: "unit-client", username: "u1", jti: "t1", "cognito:groups": ["support"] };

describe("authenticate (the login decorator)", () => {
  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    server = createServer((_req, res) => res.setHeader("content-type", "application/json").end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.COGNITO_ENDPOINT = endpoint;
    issuer = `${endpoint}/local_unit`;
    sign = (claims, expiresIn = "5m") =>
      new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k1" }).setIssuer(issuer).setIssuedAt().setExpirationTime(expiresIn).sign(privateKey);
    vi.resetModules();
    (await import("#lib/config")).resetConfigForTests();
    ({ authenticate } = await import("#lib/auth/authenticate"));
  });
  afterAll(() => server.close());
  beforeEach(() => ddb.reset());

  it("accepts a recorded access token of an active user, with the groups and permissions of the user item", async () => {
    stored(user({ groups: ["support"] }), token());
    const auth = await authenticate(`Bearer ${await sign({ ...access, "cognito:groups": [] })}`);
    expect(auth).toMatchObject({ userId: "u1", sessionId: "s1", groups: ["support"], staff: true });
    expect(auth.permissions).toContain("complaints:manage");
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(1); // one round trip
  });

  it("ignores the token's cognito:groups claim: a group removed from the user item is gone on the next request", async () => {
    stored(user({ groups: [] }), token());
    const auth = await authenticate(`Bearer ${await sign({ ...access, "cognito:groups": ["admin"] })}`);
    expect(auth).toMatchObject({ groups: [], staff: false });
    expect(auth.permissions).not.toContain("users:manage");
  });

  it("keeps only known staff groups from the user item", async () => {
    stored(user({ groups: ["root", "ops"] }), token());
    expect(await authenticate(`Bearer ${await sign(access)}`)).toMatchObject({ groups: ["ops"], staff: true });
  });

  it.each([
    ["an expired token", async () => sign(access, "-1m"), "TOKEN_EXPIRED"],
    ["an id token", async () => sign({ ...access, token_use: "id" }), "INVALID_TOKEN"],
    ["another app client's token", async () => sign({ ...access, client_id: "other" }), "INVALID_TOKEN"],
    ["a token without jti", async () => sign({ ...access, jti: undefined }), "INVALID_TOKEN"],
  ])("refuses %s with 401", async (_name, make, code) => {
    stored(user(), token());
    await expect(authenticate(`Bearer ${await make()}`)).rejects.toMatchObject({ status: 401, code });
  });

  it.each([
    ["a token we never issued", [user()]],
    ["a revoked token", [user(), token({ revokedAt: 5 })]],
    ["a token issued before logout-everywhere", [user({ tokensValidAfter: 2_000 }), token()]],
    ["a deleted user", [token()]],
  ])("refuses %s with 401 TOKEN_REVOKED", async (_name, items) => {
    stored(...(items as Record<string, unknown>[]));
    await expect(authenticate(`Bearer ${await sign(access)}`)).rejects.toMatchObject({ status: 401, code: "TOKEN_REVOKED" });
  });

  it("keeps the session a password change kept", async () => {
    stored(user({ tokensValidAfter: 2_000, keptSessionId: "s1" }), token());
    await expect(authenticate(`Bearer ${await sign(access)}`)).resolves.toMatchObject({ userId: "u1" });
  });

  it("refuses a suspended account", async () => {
    stored(user({ status: "SUSPENDED" }), token());
    await expect(authenticate(`Bearer ${await sign(access)}`)).rejects.toMatchObject({ status: 403, code: "ACCOUNT_SUSPENDED" });
  });

  it("refuses missing and malformed headers without touching the table", async () => {
    await expect(authenticate(undefined)).rejects.toMatchObject({ status: 401 });
    await expect(authenticate("Bearer not-a-jwt")).rejects.toMatchObject({ status: 401 });
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe("authenticate when Cognito's keys cannot be fetched", () => {
  it("answers 503 (try again), never 401: nothing is known about the token", async () => {
    // A fresh module instance (no cached keys) whose issuer points at a port nobody listens on.
    const { publicKey: _p, privateKey } = await generateKeyPair("RS256");
    process.env.COGNITO_ENDPOINT = "http://127.0.0.1:1";
    vi.resetModules();
    (await import("#lib/config")).resetConfigForTests();
    const { authenticate: fresh } = await import("#lib/auth/authenticate");
    const jwt = await new SignJWT(access).setProtectedHeader({ alg: "RS256", kid: "k1" }).setIssuer("http://127.0.0.1:1/local_unit").setIssuedAt().setExpirationTime("5m").sign(privateKey);
    await expect(fresh(`Bearer ${jwt}`)).rejects.toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE", headers: { "retry-after": "5" } });
  });
});

describe("authenticate, for tokens that would never expire and records that have", () => {
  let jwksServer: Server;
  let signWith: (claims: JWTPayload, build?: (jwt: SignJWT) => SignJWT) => Promise<string>;
  let fresh: typeof AuthModule.authenticate;
  const savedEndpoint = process.env.COGNITO_ENDPOINT;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k2", alg: "RS256", use: "sig" };
    jwksServer = createServer((_req, res) => res.setHeader("content-type", "application/json").end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
    process.env.COGNITO_ENDPOINT = endpoint;
    /** A token signed by the pool's key; `build` sets the time claims (by default: issued now, valid 5 minutes). */
    signWith = (claims, build = (jwt) => jwt.setIssuedAt().setExpirationTime("5m")) =>
      build(new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k2" }).setIssuer(`${endpoint}/local_unit`)).sign(privateKey);
    vi.resetModules();
    (await import("#lib/config")).resetConfigForTests();
    ({ authenticate: fresh } = await import("#lib/auth/authenticate"));
  });
  afterAll(async () => {
    jwksServer.close();
    process.env.COGNITO_ENDPOINT = savedEndpoint;
    (await import("#lib/config")).resetConfigForTests();
  });
  beforeEach(() => ddb.reset());
  afterEach(() => vi.useRealTimers());

  it("accepts a well-formed token of a record that has not expired (the control for the refusals below)", async () => {
    stored(user(), token({ expiresAt: Date.now() + 60_000 }));
    await expect(fresh(`Bearer ${await signWith(access)}`)).resolves.toMatchObject({ userId: "u1", tokenId: "t1" });
  });

  it.each([
    ["without exp", (jwt: SignJWT) => jwt.setIssuedAt()],
    ["without iat", (jwt: SignJWT) => jwt.setExpirationTime("5m")],
  ])("refuses a token %s with 401 INVALID_TOKEN, without reading the table", async (_name, build) => {
    stored(user(), token());
    await expect(fresh(`Bearer ${await signWith(access, build)}`)).rejects.toMatchObject({ status: 401, code: "INVALID_TOKEN" });
    expect(ddb.calls()).toHaveLength(0);
  });

  it.each([
    ["a second ago", -1000],
    ["this very millisecond", 0],
  ])("refuses with 401 TOKEN_REVOKED a token whose record expired %s, though the token's own exp is ahead", async (_name, offset) => {
    // Prepare: freeze the clock so that "now" is the same instant for the record and the check.
    vi.useFakeTimers({ toFake: ["Date"] });
    const jwt = await signWith(access);
    stored(user(), token({ expiresAt: Date.now() + offset }));

    // Act / Assess
    await expect(fresh(`Bearer ${jwt}`)).rejects.toMatchObject({ status: 401, code: "TOKEN_REVOKED" });
  });
});
