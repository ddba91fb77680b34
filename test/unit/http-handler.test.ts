import { beforeEach, describe, expect, it, vi } from "vitest";
import * as z from "zod/mini";
import type * as AuthModule from "#lib/auth/authenticate";
import { apiEvent, lambdaContext } from "#test/steps/api-gateway-events";

vi.mock("#lib/auth/authenticate", async (importOriginal) => ({
  ...(await importOriginal<typeof AuthModule>()),
  authenticate: vi.fn(),
}));

const { authenticate } = await import("#lib/auth/authenticate");
const { securedHandler } = await import("#lib/http/secured");
const { httpHandler, ok } = await import("#lib/http/handler");
const { defineRoute } = await import("#lib/http/route");

const echo = httpHandler(
  defineRoute({
    method: "POST",
    path: "/echo",
    summary: "echo",
    auth: "public",
    body: z.strictObject({ name: z.string().check(z.minLength(1)), kind: z.optional(z.enum(["A", "B"])) }),
    responses: { 200: "ok" },
  }),
  async ({ body, client }) => ok({ name: body.name, ip: client.ip }),
);

const staffOnly = securedHandler(
  defineRoute({ method: "GET", path: "/admin/x", summary: "x", auth: "staff", permission: "users:read", responses: { 200: "ok" } }),
  async () => ok({ secret: true }),
);

const crash = httpHandler(
  defineRoute({ method: "GET", path: "/boom", summary: "x", auth: "public", responses: { 200: "ok" } }),
  async () => {
    throw new Error("database password is hunter2");
  },
);

const json = { "content-type": "application/json" };
const parse = (res: { body?: string }) => JSON.parse(res.body ?? "{}");

describe("the HTTP layer", () => {
  beforeEach(() => vi.mocked(authenticate).mockReset());

  it("passes a valid body and client info to the domain call", async () => {
    const res = await echo(apiEvent("POST", "/echo", { body: '{"name":"x"}', headers: json }), lambdaContext);
    expect(res.statusCode).toBe(200);
    expect(parse(res)).toEqual({ name: "x", ip: "203.0.113.7" });
    expect(res.headers?.["x-content-type-options"]).toBe("nosniff");
  });

  it.each([
    ["malformed JSON", '{"name":', json, 400, "MALFORMED_JSON"],
    ["another content type", "name=x", { "content-type": "text/plain" }, 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["no content type", '{"name":"x"}', {}, 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["an unknown field", '{"name":"x","admin":true}', json, 400, "VALIDATION_FAILED"],
    ["a bad enum", '{"name":"x","kind":"C"}', json, 400, "VALIDATION_FAILED"],
    ["a huge body", JSON.stringify({ name: "x".repeat(70_000) }), json, 413, "PAYLOAD_TOO_LARGE"],
  ])("answers %s with a problem, never a 500", async (_name, body, headers, status, code) => {
    const res = await echo(apiEvent("POST", "/echo", { body, headers }), lambdaContext);
    expect(res.statusCode).toBe(status);
    expect(res.headers?.["content-type"]).toBe("application/problem+json");
    expect(parse(res)).toMatchObject({ status, code, requestId: "aws-req-1" });
  });

  it("lists the allowed values of an enum and names the field", async () => {
    const res = await echo(apiEvent("POST", "/echo", { body: '{"name":"x","kind":"C"}', headers: json }), lambdaContext);
    expect(parse(res).errors).toEqual([{ path: "body.kind", message: expect.stringMatching(/"A".*"B"/) }]);
  });

  it("hides internal errors behind a generic 500 problem", async () => {
    const res = await crash(apiEvent("GET", "/boom"), lambdaContext);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain("hunter2");
    expect(parse(res)).toMatchObject({ code: "INTERNAL_ERROR" });
  });

  it("adds CORS headers for allow-listed origins only", async () => {
    const allowed = await echo(
      apiEvent("POST", "/echo", { body: '{"name":"x"}', headers: { ...json, origin: "https://app.example.com" } }),
      lambdaContext,
    );
    expect(allowed.headers?.["access-control-allow-origin"]).toBe("https://app.example.com");
    const other = await echo(
      apiEvent("POST", "/echo", { body: '{"name":"x"}', headers: { ...json, origin: "https://evil.example" } }),
      lambdaContext,
    );
    expect(other.headers?.["access-control-allow-origin"]).toBeUndefined();
  });

  it("denies staff routes to non-staff and to staff without the permission", async () => {
    const user = { userId: "u", staff: false, groups: [], permissions: ["profile:read"] };
    vi.mocked(authenticate).mockResolvedValue(user as never);
    const res = await staffOnly(apiEvent("GET", "/admin/x", { headers: { authorization: "Bearer a.b.c" } }), lambdaContext);
    expect(res.statusCode).toBe(403);
    expect(parse(res).code).toBe("STAFF_ONLY");

    vi.mocked(authenticate).mockResolvedValue({ ...user, staff: true, groups: ["ops"], permissions: ["incidents:manage"] } as never);
    const noPermission = await staffOnly(apiEvent("GET", "/admin/x", { headers: { authorization: "Bearer a.b.c" } }), lambdaContext);
    expect(noPermission.statusCode).toBe(403);

    // Staff without two-factor sign-in (enforced by default): 403 MFA_REQUIRED, however many permissions.
    vi.mocked(authenticate).mockResolvedValue({ ...user, staff: true, groups: ["support"], permissions: ["users:read"], user: {} } as never);
    const noMfa = await staffOnly(apiEvent("GET", "/admin/x", { headers: { authorization: "Bearer a.b.c" } }), lambdaContext);
    expect(noMfa.statusCode).toBe(403);
    expect(parse(noMfa).code).toBe("MFA_REQUIRED");

    vi.mocked(authenticate).mockResolvedValue({ ...user, staff: true, groups: ["support"], permissions: ["users:read"], user: { mfa: { lastStep: 1 } } } as never);
    const allowed = await staffOnly(apiEvent("GET", "/admin/x", { headers: { authorization: "Bearer a.b.c" } }), lambdaContext);
    expect(allowed.statusCode).toBe(200);
  });

  it("names the credit restriction that withholds a permission", async () => {
    vi.mocked(authenticate).mockResolvedValue({ userId: "u", staff: false, groups: [], permissions: ["profile:read"], user: { creditTier: "POOR" } } as never);
    const redeem = httpHandler({ method: "POST", path: "/me/rewards/redeem", summary: "x", auth: "user", permission: "rewards:redeem", responses: {} }, async () => ok({}), authenticate);
    const res = await redeem(apiEvent("POST", "/me/rewards/redeem", { headers: { authorization: "Bearer a.b.c" } }), lambdaContext);
    expect(res.statusCode).toBe(403);
    expect(parse(res)).toMatchObject({ code: "REWARDS_FROZEN", restriction: "REWARDS_FROZEN" });
  });
});
