import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type * as AuthModule from "#lib/auth/authenticate";
import type * as BatchModule from "#lib/data/batch";

// lib/data/batch.ts on its own, and under the auth layer (JWKS on loopback, as in authenticate.test.ts):
// DynamoDB may hand back part of a batch unprocessed, which must be retried, never read as "missing".
const ddb = mockClient(DynamoDBDocumentClient);
let server: Server;
let authenticate: typeof AuthModule.authenticate;
let batch: typeof BatchModule;
let bearer: string;
const cognitoEndpoint = process.env.COGNITO_ENDPOINT;

type Key = { PK: string; SK: string };
const keys = (n: number): Key[] => Array.from({ length: n }, (_, i) => ({ PK: `USER#u${i}`, SK: "PROFILE" }));
const item = (key: Key) => ({ ...key, entity: "USER", n: key.PK });
const getKeys = () => ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.["unit-table"]?.Keys);
const writes = () => ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.["unit-table"] ?? []);
const puts = (n: number) => Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { PK: `P#${i}`, SK: "S", entity: "X" } } }));
const stayUnprocessed = () => vi.spyOn(Math, "random").mockReturnValue(0); // no jitter wait between the rounds

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  server = createServer((_req, res) => res.setHeader("content-type", "application/json").end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.COGNITO_ENDPOINT = endpoint;
  bearer = `Bearer ${await new SignJWT({ token_use: "access", client_id: "unit-client", username: "u1", jti: "t1" })
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer(`${endpoint}/local_unit`)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(privateKey)}`;
  vi.resetModules();
  (await import("#lib/config")).resetConfigForTests();
  ({ authenticate } = await import("#lib/auth/authenticate"));
  batch = await import("#lib/data/batch");
});
afterAll(async () => {
  server.close();
  process.env.COGNITO_ENDPOINT = cognitoEndpoint;
  (await import("#lib/config")).resetConfigForTests();
});
beforeEach(() => ddb.reset());
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("batchGet", () => {
  it("returns the items in the order of the keys, undefined where there is none, in one round trip", async () => {
    // Prepare
    const [a, b, c] = keys(3) as [Key, Key, Key];
    ddb.on(BatchGetCommand).resolves({ Responses: { "unit-table": [item(c), item(a)] } });

    // Act
    const items = await batch.batchGet([a, b, c]);

    // Assess
    expect(items).toEqual([item(a), undefined, item(c)]);
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input).toEqual({ RequestItems: { "unit-table": { Keys: [a, b, c], ConsistentRead: false } } });
  });

  it("asks for strongly consistent reads when told to", async () => {
    ddb.on(BatchGetCommand).resolves({});
    await batch.batchGet(keys(1), { consistent: true });
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.["unit-table"]?.ConsistentRead).toBe(true);
  });

  it("retries the unprocessed keys, and only those, until every item is read", async () => {
    // Prepare
    const [a, b, c] = keys(3) as [Key, Key, Key];
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { "unit-table": [item(a)] }, UnprocessedKeys: { "unit-table": { Keys: [b, c] } } })
      .resolvesOnce({ Responses: { "unit-table": [item(c)] }, UnprocessedKeys: { "unit-table": { Keys: [b] } } })
      .resolves({ Responses: { "unit-table": [item(b)] } });

    // Act
    const items = await batch.batchGet([a, b, c]);

    // Assess
    expect(items).toEqual([item(a), item(b), item(c)]);
    expect(getKeys()).toEqual([[a, b, c], [b, c], [b]]);
  });

  it("throws UnprocessedItemsError after BATCH_ROUNDS BatchGetItems when keys stay unprocessed, never reporting them as missing", async () => {
    // Prepare
    stayUnprocessed();
    const [a, b] = keys(2) as [Key, Key];
    ddb.on(BatchGetCommand).resolves({ Responses: { "unit-table": [item(a)] }, UnprocessedKeys: { "unit-table": { Keys: [b] } } });

    // Act
    const error = await batch.batchGet([a, b]).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(batch.UnprocessedItemsError);
    expect(error).toMatchObject({ left: 1, name: "UnprocessedItemsError" });
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(batch.BATCH_ROUNDS);
    expect(batch.BATCH_ROUNDS).toBe(6);
  });

  it("reads more than 100 keys in BatchGetItems of at most 100", async () => {
    // Prepare
    ddb.on(BatchGetCommand).callsFake(async (input: { RequestItems: Record<string, { Keys: Key[] }> }) => ({
      Responses: { "unit-table": (input.RequestItems["unit-table"]?.Keys ?? []).map(item) },
    }));

    // Act
    const items = await batch.batchGet(keys(250));

    // Assess
    expect(getKeys().map((k) => k?.length)).toEqual([100, 100, 50]);
    expect(items).toEqual(keys(250).map(item));
  });

  it("backs off exponentially between rounds (a random share of 25 ms × 2^round)", async () => {
    // Prepare: a jitter of one half (whole milliseconds: fake timers drop fractions), fake timers.
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    vi.useFakeTimers();
    ddb.on(BatchGetCommand).resolves({ UnprocessedKeys: { "unit-table": { Keys: keys(1) } } });
    const calls = () => ddb.commandCalls(BatchGetCommand).length;
    const done = batch.batchGet(keys(1)).catch((e: unknown) => e);

    // Act & Assess: before round n the wait is ½ × min(800, 25 × 2^n) ms.
    await vi.advanceTimersByTimeAsync(0);
    expect(calls()).toBe(1);
    for (const [round, wait] of [
      [1, 25],
      [2, 50],
      [3, 100],
      [4, 200],
      [5, 400],
    ] as const) {
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(calls()).toBe(round);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls()).toBe(round + 1);
    }
    expect(await done).toBeInstanceOf(batch.UnprocessedItemsError);
  });
});

describe("batchWrite", () => {
  it("writes in BatchWriteItems of at most 25 requests", async () => {
    ddb.on(BatchWriteCommand).resolves({});
    await batch.batchWrite(puts(60));
    expect(writes().map((w) => w.length)).toEqual([25, 25, 10]);
    expect(writes().flat()).toEqual(puts(60));
  });

  it("retries the unprocessed requests, and only those", async () => {
    // Prepare
    const requests = [...puts(2), { DeleteRequest: { Key: { PK: "D#1", SK: "S" } } }];
    ddb
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { "unit-table": requests.slice(1) } })
      .resolves({});

    // Act
    await batch.batchWrite(requests);

    // Assess
    expect(writes()).toEqual([requests, requests.slice(1)]);
  });

  it("throws UnprocessedItemsError after BATCH_ROUNDS BatchWriteItems when requests stay unprocessed", async () => {
    stayUnprocessed();
    const requests = puts(3);
    ddb.on(BatchWriteCommand).resolves({ UnprocessedItems: { "unit-table": requests.slice(0, 2) } });
    await expect(batch.batchWrite(requests)).rejects.toMatchObject({ name: "UnprocessedItemsError", left: 2 });
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(batch.BATCH_ROUNDS);
  });

  it("sends nothing for no requests", async () => {
    await batch.batchWrite([]);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe("authenticate when DynamoDB throttles the batch read", () => {
  const userKey = { PK: "USER#u1", SK: "PROFILE" };
  const tokenKey = { PK: "USER#u1", SK: "TOKEN#t1" };
  const user = { ...userKey, entity: "USER", userId: "u1", username: "alice", status: "ACTIVE", level: "NEWBIE", creditTier: "FAIR" };
  const token = { ...tokenKey, entity: "TOKEN", sessionId: "s1", issuedAt: 1_000, expiresAt: 9e15 };

  it("retries the unprocessed user and token keys and lets the caller in (not 401 TOKEN_REVOKED)", async () => {
    // Prepare
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { "unit-table": [] }, UnprocessedKeys: { "unit-table": { Keys: [userKey, tokenKey] } } })
      .resolves({ Responses: { "unit-table": [token, user] } });

    // Act
    const auth = await authenticate(bearer);

    // Assess
    expect(auth).toMatchObject({ userId: "u1", sessionId: "s1", tokenId: "t1" });
    expect(getKeys()).toEqual([
      [userKey, tokenKey],
      [userKey, tokenKey],
    ]);
  });

  it("retries when only the token key is left unprocessed", async () => {
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { "unit-table": [user] }, UnprocessedKeys: { "unit-table": { Keys: [tokenKey] } } })
      .resolves({ Responses: { "unit-table": [token] } });
    await expect(authenticate(bearer)).resolves.toMatchObject({ userId: "u1" });
    expect(getKeys()[1]).toEqual([tokenKey]);
  });

  it("fails with UnprocessedItemsError, not a 401 that would sign the user out, when the keys stay unprocessed", async () => {
    stayUnprocessed();
    ddb.on(BatchGetCommand).resolves({ Responses: { "unit-table": [] }, UnprocessedKeys: { "unit-table": { Keys: [userKey, tokenKey] } } });
    const error = await authenticate(bearer).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(batch.UnprocessedItemsError);
    expect(error).not.toHaveProperty("status");
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(batch.BATCH_ROUNDS);
  });
});
