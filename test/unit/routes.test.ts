import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { routes } from "../../functions/openapi/routes";

// serverless.yml wires the routes; the route specs validate and document them. They must agree.
type FunctionDef = { handler: string; events?: { httpApi?: { method: string; path: string } }[] };
// Every function file serverless.yml includes (`- ${file(./functions/x.yml)}`).
const files = [...readFileSync("serverless.yml", "utf8").matchAll(/\$\{file\(\.\/functions\/([\w-]+\.yml)\)\}/g)].map((m) => m[1] as string);
const functions = Object.assign({}, ...files.map((f) => (parse(readFileSync(`functions/${f}`, "utf8")) ?? {}) as Record<string, FunctionDef>)) as Record<string, FunctionDef>;

const wired = Object.values(functions)
  .flatMap((fn) => fn.events ?? [])
  .filter((e) => e.httpApi)
  .map((e) => `${e.httpApi?.method} ${e.httpApi?.path}`)
  .sort();

describe("route registry", () => {
  it("has exactly the routes serverless.yml wires", () => {
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(wired);
  });
  it("points every function at an existing handler in its own folder", () => {
    for (const [name, fn] of Object.entries(functions)) {
      expect(fn.handler).toBe(`functions/${name}/handler.handler`);
      expect(() => readFileSync(`functions/${name}/handler.ts`)).not.toThrow();
    }
  });
  it("requires a token everywhere except the auth, health, docs and local routes", () => {
    const publicRoutes = routes.filter((r) => r.auth === "public").map((r) => r.path);
    for (const path of publicRoutes) expect(path).toMatch(/^\/(auth\/(?!logout)|health$|openapi\.json$|local\/)/);
  });
});
