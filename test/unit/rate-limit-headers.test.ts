import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { tooManyRequests } from "#lib/errors";
import { httpHandler, ok } from "#lib/http/handler";
import { defineRoute } from "#lib/http/route";
import { claim, failed, type Limit, type LimitReached, refund } from "#lib/limits/counter";
import { apiEvent, lambdaContext } from "#test/steps/api-gateway-events";
import { conditionFailed, freezeClock, NOW } from "#test/unit/support/aws";

// The IETF RateLimit headers (lib/http/rate-limit.ts): API Gateway's throttle on every response,
// and each of our own limits the request was counted against, as its counter claims report it.
const ddb = mockClient(DynamoDBDocumentClient);
const key = { PK: "LIMIT#REGISTER#h", SK: "LIMIT" };
const limit: Limit = { max: 5, windowSeconds: 600, policy: "register" };

/** A public route whose domain call is `work` (claims, refunds, refusals). */
const routeDoing = (work: () => Promise<unknown>) =>
  httpHandler(defineRoute({ method: "GET", path: "/limited", summary: "x", auth: "public", responses: { 200: "ok" } }), async () => ok(await work()));
const call = async (work: () => Promise<unknown>) =>
  (await routeDoing(work)(apiEvent("GET", "/limited"), lambdaContext)) as APIGatewayProxyStructuredResultV2 & { headers: Record<string, string> };

beforeEach(() => {
  ddb.reset();
  freezeClock();
});
afterEach(() => vi.useRealTimers());

describe("RateLimit headers", () => {
  it("describe API Gateway's throttle on every response, with only a reset (its level is not known here)", async () => {
    // Act
    const res = await call(async () => ({}));

    // Assess
    expect(res.headers["ratelimit-policy"]).toBe('"gateway";q=50;w=1;apigw-burst=100');
    expect(res.headers.ratelimit).toBe('"gateway";t=1');
  });

  it("add what a claim left of a named limit: remaining and seconds until the window ends", async () => {
    // Prepare: the second claim of a window that started 100 s ago
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 2, windowStart: NOW - 100_000 } });

    // Act
    const res = await call(() => claim(key, limit));

    // Assess
    expect(res.headers["ratelimit-policy"]).toBe('"gateway";q=50;w=1;apigw-burst=100, "register";q=5;w=600');
    expect(res.headers.ratelimit).toBe('"gateway";t=1, "register";r=3;t=500');
  });

  it("count a claim given back (a success that does not count) as remaining again", async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 5, windowStart: NOW } });

    // Act
    const res = await call(async () => refund(await claim(key, limit)));

    // Assess
    expect(res.headers.ratelimit).toBe('"gateway";t=1, "register";r=1;t=600');
  });

  it("say nothing is left when the limit refuses, until the same moment as Retry-After", async () => {
    // Prepare: the window is full and ends in 42 s
    ddb.on(UpdateCommand).rejects(conditionFailed(marshall({ ...key, attempts: 5, windowStart: NOW - 558_000 })));

    // Act
    const res = await call(async () => {
      const refused = await claim(key, limit).catch((e: unknown) => e);
      throw tooManyRequests("RATE_LIMITED", "x", (refused as LimitReached).retryAfterSeconds);
    });

    // Assess
    expect(res.statusCode).toBe(429);
    expect(res.headers["retry-after"]).toBe("42");
    expect(res.headers.ratelimit).toBe('"gateway";t=1, "register";r=0;t=42');
  });

  it("say nothing is left for the lock's duration once a failure locks the key", async () => {
    // Prepare: the fifth failure of the window
    const locking: Limit = { max: 5, windowSeconds: 900, lockSeconds: 60, policy: "sign-in" };
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 5, windowStart: NOW } });

    // Act
    const res = await call(async () => failed(await claim(key, locking)));

    // Assess
    expect(res.headers.ratelimit).toBe('"gateway";t=1, "sign-in";r=0;t=60');
  });

  it("leave out limits that name no policy, and keep each request's reports to itself", async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 1, windowStart: NOW } });

    // Act: two requests at once, one claiming a named limit, one an unnamed one
    const [named, unnamed] = await Promise.all([call(() => claim(key, limit)), call(() => claim(key, { max: 5, windowSeconds: 600 }))]);

    // Assess
    expect(named.headers.ratelimit).toBe('"gateway";t=1, "register";r=4;t=600');
    expect(unnamed.headers.ratelimit).toBe('"gateway";t=1');
  });
});
