import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { AppError } from "#lib/errors";
import { httpHandler, ok } from "#lib/http/handler";
import { toProblem } from "#lib/http/problem";
import { defineRoute } from "#lib/http/route";
import { boundedText, email, listQuery, password, phone, username } from "#lib/http/schemas";

// Fuzzing the HTTP layer the way middy fuzzes its packages: whatever API Gateway may hand over,
// the wrapper answers a JSON 2xx or a 4xx problem, never a 5xx and never a stack trace.

/** A public route shaped like POST /auth/register (functions/register/route.ts), with a list query. */
const route = defineRoute({
  method: "POST",
  path: "/fuzz",
  summary: "fuzz target",
  auth: "public",
  body: z
    .strictObject({
      username,
      email: z.optional(email),
      phone: z.optional(phone),
      password,
      displayName: z.optional(boundedText(1, 64)),
      consent: z.strictObject({ privacyPolicyVersion: boundedText(1, 32) }),
    })
    .check(z.refine((b) => b.email !== undefined || b.phone !== undefined, { message: "Give an e-mail or a phone number.", path: ["email"] })),
  query: listQuery,
  responses: { 201: "created" },
});
const handler = httpHandler(route, async ({ body, query }) => ok({ username: body.username, limit: query.limit }, 201));

const context = { awsRequestId: "aws-req-fuzz", functionName: "fuzz", getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

/** An API Gateway HTTP API (v2) event, built here so the test does not depend on test/steps. */
function event(options: { body?: string; isBase64Encoded?: boolean; contentType?: string; query?: Record<string, string> }): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: "POST /fuzz",
    rawPath: "/fuzz",
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { "user-agent": "fast-check", ...(options.contentType === undefined ? {} : { "content-type": options.contentType }) },
    queryStringParameters: options.query,
    body: options.body,
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName: "api.example.com",
      domainPrefix: "api",
      requestId: "req-fuzz",
      routeKey: "POST /fuzz",
      stage: "$default",
      time: "20/Nov/2026:12:00:00 +0000",
      timeEpoch: 1_795_003_200_000,
      http: { method: "POST", path: "/fuzz", protocol: "HTTP/1.1", sourceIp: "203.0.113.7", userAgent: "fast-check" },
    },
  };
}

const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
/** A V8 stack frame, a source path or a dependency path: none may reach a client. */
const STACK_TRACE = /\bat (?:async )?[\w$.<>]+ \(|node:internal|node_modules|\/work\/|\.ts:\d+/;

/** What every response must be, whatever the request. */
function assertWellFormed(res: APIGatewayProxyStructuredResultV2) {
  const status = res.statusCode ?? 0;
  expect(status >= 200 && status < 300 ? "2xx" : status >= 400 && status < 500 ? "4xx" : `unexpected ${status}`).toMatch(/^[24]xx$/);
  const body = JSON.parse(res.body ?? "") as Record<string, unknown>;
  expect(res.body).not.toMatch(STACK_TRACE);
  expect(res.headers?.["x-content-type-options"]).toBe("nosniff");
  if (status >= 400) {
    expect(res.headers?.["content-type"]).toBe("application/problem+json");
    expect(body).toMatchObject({ type: expect.stringMatching(/^https:\/\//), title: expect.any(String), status, detail: expect.any(String), requestId: "aws-req-fuzz" });
    expect(body.code).toMatch(UPPER_SNAKE);
  } else {
    expect(res.headers?.["content-type"]).toBe("application/json");
  }
  return { status, body };
}

// Generators -------------------------------------------------------------------------------------

const anyText = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }));

/** Bodies that pass validation. */
const validBody = fc.record({
    username: fc.stringMatching(/^[a-z][a-z0-9_.-]{2,20}$/),
    email: fc.constantFrom("a@example.com", "someone.else@example.org"),
    password: fc.string({ minLength: 1, maxLength: 64 }),
  consent: fc.record({ privacyPolicyVersion: fc.constantFrom("2026-11", "v1") }),
});
/** Valid bodies with one field added or replaced by any JSON value (a strict object refuses unknown fields). */
const nearlyValidBody = fc.tuple(validBody, fc.oneof(fc.string(), fc.constantFrom("username", "email", "consent")), fc.jsonValue()).map(([b, key, value]) => ({ ...b, [key]: value }));

/** Body strings of every kind: random text, any JSON value, near-valid and valid bodies, and huge ones around the 64 KB limit. */
const bodyText = fc.oneof(
  anyText,
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify({ username: v, password: v, consent: v, email: v })),
  validBody.map((b) => JSON.stringify(b)),
  nearlyValidBody.map((b) => JSON.stringify(b)),
  fc.integer({ min: 60_000, max: 70_000 }).map((n) => "x".repeat(n)),
  fc.integer({ min: 32_700, max: 32_900 }).map((n) => JSON.stringify({ username: "é".repeat(n), password: "p", consent: {} })),
  fc.integer({ min: 65_400, max: 65_600 }).map((n) => JSON.stringify({ displayName: "d".repeat(n) })),
  fc.tuple(fc.integer({ min: 1, max: 32_000 }), fc.constantFrom("[", '{"a":')).map(([depth, open]) => {
    const close = open === "[" ? "]" : "}";
    return `{"username":${open.repeat(depth)}${open === "[" ? "" : "1"}${close.repeat(depth)}}`;
  }),
);

/** The body as API Gateway passes it: text, or base64 of any bytes (invalid UTF-8 included) or of a body string. */
const requestBody = fc.oneof(
  { weight: 3, arbitrary: bodyText.map((body) => ({ body, isBase64Encoded: false })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((bytes) => ({ body: Buffer.from(bytes).toString("base64"), isBase64Encoded: true })) },
  { weight: 1, arbitrary: bodyText.map((text) => ({ body: Buffer.from(text).toString("base64"), isBase64Encoded: true })) },
  { weight: 1, arbitrary: anyText.map((body) => ({ body, isBase64Encoded: true })) }, // not base64 at all
  { weight: 1, arbitrary: fc.constantFrom({ body: undefined, isBase64Encoded: false }, { body: "", isBase64Encoded: false }) },
  { weight: 2, arbitrary: validBody.map((b) => ({ body: JSON.stringify(b), isBase64Encoded: false })) },
);

const contentType = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "application/problem+json") },
  { weight: 1, arbitrary: fc.constantFrom(undefined, "text/plain", "multipart/form-data; boundary=x", "application/jsonx", ";", "") },
  { weight: 1, arbitrary: anyText },
);

const query = fc.option(
  fc.oneof(
    fc.dictionary(anyText, anyText, { noNullPrototype: true, maxKeys: 5 }),
    fc.record({ limit: fc.oneof(fc.integer().map(String), anyText) }, { requiredKeys: [] }),
    fc.record({ cursor: anyText }),
  ),
  { nil: undefined, freq: 2 },
);

// Properties -------------------------------------------------------------------------------------

describe("the HTTP layer, fuzzed", () => {
  it("answers any body, content type and query with a JSON 2xx or a 4xx problem, never a 5xx or a stack trace", async () => {
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(requestBody, contentType, query, async ({ body, isBase64Encoded }, type, q) => {
        const res = await handler(event({ body, isBase64Encoded, contentType: type, query: q }), context);
        seen.add(assertWellFormed(res).status);
      }),
      { numRuns: 400 },
    );
    // The generators reach the interesting answers, not just one of them.
    expect([...seen]).toEqual(expect.arrayContaining([201, 400, 413, 415]));
  }, 30_000);

  it("accepts every valid body sent as JSON, whatever the charset parameter", async () => {
    await fc.assert(
      fc.asyncProperty(
        validBody,
        fc.constantFrom("application/json", "application/json; charset=utf-8", "application/vnd.api+json"),
        fc.boolean(),
        async (body, type, base64) => {
          const text = JSON.stringify(body);
          const res = await handler(event({ body: base64 ? Buffer.from(text).toString("base64") : text, isBase64Encoded: base64, contentType: type }), context);
          expect(assertWellFormed(res)).toEqual({ status: 201, body: { username: body.username, limit: 20 } });
        },
      ),
      { numRuns: 200 },
    );
  }, 30_000);

  it("refuses every body over 64 KB with 413, whatever it holds", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 64 * 1024 + 1, max: 70_000 }), fc.constantFrom("a", "é", "😀"), contentType, async (bytes, char, type) => {
        const body = char.repeat(Math.ceil(bytes / Buffer.byteLength(char)));
        const res = await handler(event({ body, contentType: type }), context);
        expect(assertWellFormed(res)).toMatchObject({ status: 413, body: { code: "PAYLOAD_TOO_LARGE" } });
      }),
      { numRuns: 50 },
    );
  }, 30_000);
});

describe("toProblem, fuzzed", () => {
  const GENERIC_DETAIL = "Something went wrong on our side.";

  it("turns any thrown value that is not an AppError into a 500 INTERNAL_ERROR problem that reveals nothing of it", () => {
    const secret = fc.string().map((s) => `hunter2${s}`);
    const thrown = fc.oneof(
      fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true, withBigInt: true }),
      secret,
      secret.map((m) => new Error(m)),
      secret.map((m) => new TypeError(m)),
      secret.map((m) => Object.assign(new Error(m), { name: "ConditionalCheckFailedException", status: 400, code: "X" })),
      secret.map((m) => ({ message: m, status: 404, code: "NOT_FOUND", stack: `Error: ${m}\n    at f (/var/task/lib/x.ts:1:2)` })),
      fc.constantFrom(null, undefined, 0, "", Symbol("s")),
    );
    fc.assert(
      fc.property(thrown, (error) => {
        // Act
        const res = toProblem(error, "req-1");

        // Assess
        expect(res.statusCode).toBe(500);
        expect(res.headers).toEqual({ "content-type": "application/problem+json" });
        expect(JSON.parse(res.body ?? "")).toEqual({
          type: "https://docs.sharing-users.dev/problems/internal-error",
          title: "Internal error",
          status: 500,
          detail: GENERIC_DETAIL,
          code: "INTERNAL_ERROR",
          requestId: "req-1",
        });
        expect(res.body).not.toContain("hunter2");
      }),
      { numRuns: 400 },
    );
  }, 30_000);

  it("keeps the status, code, detail, extra members and headers of any AppError", () => {
    const reserved = new Set(["type", "title", "status", "detail", "code", "requestId"]);
    const appError = fc
      .record({
        status: fc.integer({ min: 400, max: 599 }),
        code: fc.stringMatching(/^[A-Z][A-Z0-9]{0,10}(?:_[A-Z0-9]{1,10}){0,3}$/),
        title: anyText,
        detail: fc.option(anyText, { nil: undefined }),
        extra: fc.dictionary(
          fc.string().filter((k) => !reserved.has(k)),
          fc.jsonValue(),
          { noNullPrototype: true, maxKeys: 4 },
        ),
        headers: fc.dictionary(fc.stringMatching(/^x-[a-z]{1,10}$/), fc.string(), { noNullPrototype: true, maxKeys: 3 }),
      })
      .map((e) => ({ spec: e, error: new AppError(e.status, e.code, e.title, e.detail, e.extra, e.headers) }));

    fc.assert(
      fc.property(appError, ({ spec, error }) => {
        // Act
        const res = toProblem(error, "req-2");

        // Assess
        expect(res.statusCode).toBe(spec.status);
        expect(res.headers).toEqual({ "content-type": "application/problem+json", ...spec.headers });
        const body = JSON.parse(res.body ?? "") as Record<string, unknown>;
        expect(body).toMatchObject({
          type: `https://docs.sharing-users.dev/problems/${spec.code.toLowerCase().replace(/_/g, "-")}`,
          title: spec.title,
          status: spec.status,
          detail: spec.detail ?? spec.title,
          code: spec.code,
          requestId: "req-2",
        });
        expect(body).toEqual(JSON.parse(JSON.stringify({ ...body, ...spec.extra })));
      }),
      { numRuns: 300 },
    );
  }, 30_000);
});
