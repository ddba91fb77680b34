import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { contracts } from "../../functions/openapi/routes";
import { contractProblems } from "#test/steps/contract";

// The contract of each route (functions/<name>/responses.ts): complete, in step with the route
// specs, out of every handler bundle, and strict enough that the tests' check of each answer
// (test/steps/contract.ts) catches what differs.

const GATEWAY = { ratelimit: '"gateway";t=1', "ratelimit-policy": '"gateway";q=50;w=1;apigw-burst=100' };
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  body,
  text: body === undefined ? "" : JSON.stringify(body),
  headers: { "content-type": status >= 400 ? "application/problem+json" : "application/json", ...GATEWAY, ...headers },
});
const problem = (status: number, code: string) => ({ type: `https://docs.sharing-users.dev/problems/${code.toLowerCase()}`, title: "x", status, detail: "x", code, requestId: "r1" });

describe("route contracts", () => {
  it("declare exactly the success statuses their route specs describe", () => {
    for (const { route, success } of contracts) {
      const described = Object.keys(route.responses).filter((s) => Number(s) < 300);
      expect(Object.keys(success), `${route.method} ${route.path}`).toEqual(described);
    }
  });

  it("are imported by no handler: only the openapi function and the tests carry them", () => {
    const importsContract = (file: string) => /from "(?:[^"]*\/responses|#lib\/http\/contract\/[\w-]+|#lib\/http\/openapi)"/.test(readFileSync(file, "utf8"));
    const functionFiles = readdirSync("functions", { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== "openapi")
      .flatMap((d) => ["handler.ts", "route.ts"].map((f) => join("functions", d.name, f)))
      .filter((f) => existsSync(f));
    const libFiles = readdirSync("lib", { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.startsWith(join("http", "contract")) && f !== join("http", "openapi.ts"))
      .map((f) => join("lib", f));
    expect([...functionFiles, ...libFiles].filter(importsContract)).toEqual([]);
  });
});

describe("the check of each answer against the contract", () => {
  it("accepts an answer as declared", () => {
    expect(contractProblems("GET", "/health", answer(200, { status: "ok", stage: "local", time: "2026-11-20T12:00:00.000Z" }))).toEqual([]);
    expect(contractProblems("GET", "/complaints/0b7c2a4e-1f3d-4c5b-9a8e-2d6f4b1c3a5e", answer(404, problem(404, "NOT_FOUND")))).toEqual([]);
  });

  it("refuses an unknown route, an undeclared status, an undeclared field and a missing header", () => {
    expect(contractProblems("GET", "/nope", answer(200, {}))).toEqual(["no route of the API is GET /nope"]);
    expect(contractProblems("GET", "/health", answer(201, {}))[0]).toMatch(/^status 201 is not declared for GET \/health/);
    expect(contractProblems("GET", "/health", answer(200, { status: "ok", stage: "local", time: "2026-11-20T12:00:00.000Z", extra: 1 })).join()).toMatch(/body: .*extra/);
    expect(contractProblems("GET", "/health", { ...answer(200, { status: "ok", stage: "local", time: "2026-11-20T12:00:00.000Z" }), headers: { "content-type": "application/json" } })).toEqual([
      "header RateLimit is missing",
      "header RateLimit-Policy is missing",
    ]);
  });

  it("refuses a 429 without Retry-After, and a rate-limit policy the route does not declare", () => {
    const limited = answer(429, { ...problem(429, "RATE_LIMITED"), retryAfter: 5 }, { ratelimit: '"gateway";t=1, "sign-in";r=0;t=5' });
    const problems = contractProblems("POST", "/auth/register", limited);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^header RateLimit: Invalid string: must match pattern .*gateway\|register/);
    expect(problems[1]).toBe("header Retry-After is missing");
  });
});
