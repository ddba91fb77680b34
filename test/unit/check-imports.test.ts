import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

// scripts/check-imports.mjs is part of `npm run lint`: the import graph of lib/ stays acyclic.
const run = promisify(execFile);
const script = join(process.cwd(), "scripts", "check-imports.mjs");
const dirs: string[] = [];

/** A throwaway project with the checker and the given lib/ files. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "check-imports-"));
  dirs.push(dir);
  mkdirSync(join(dir, "scripts"));
  cpSync(script, join(dir, "scripts", "check-imports.mjs"));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return join(dir, "scripts", "check-imports.mjs");
}

const check = (checker: string) => run("node", [checker]).then(() => ({ code: 0, stderr: "" }), (e: { code: number; stderr: string }) => e);

afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("check-imports (npm run lint)", () => {
  it("passes on this project", async () => {
    expect(await check(script)).toEqual({ code: 0, stderr: "" });
  });

  it("fails on a cycle between areas, type-only imports included, naming the files", async () => {
    const result = await check(
      project({
        "lib/credit/score.ts": 'import type { Event } from "#lib/events/schema";\nexport const score = (e: Event) => e;\n',
        "lib/events/schema.ts": 'import { score } from "#lib/credit/score";\nexport type Event = { id: string };\nexport const x = score;\n',
      }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("import cycle between areas credit ↔ events");
    expect(result.stderr).toContain("lib/credit/score.ts → lib/events/schema.ts");
  });

  it("fails on a cycle between files of one area, through relative imports", async () => {
    const result = await check(
      project({ "lib/jobs/a.ts": 'import { b } from "./b";\nexport const a = b;\n', "lib/jobs/b.ts": 'import { a } from "./a";\nexport const b = a;\n' }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("import cycle between files: lib/jobs/a.ts, lib/jobs/b.ts");
  });

  it("keeps local tooling, tests and API Gateway types out of the domain", async () => {
    const result = await check(
      project({
        "lib/identity/x.ts": 'import { stack } from "../../scripts/local/stack";\nimport type { APIGatewayProxyEventV2 } from "aws-lambda";\nexport const x = [stack];\nexport type E = APIGatewayProxyEventV2;\n',
        "scripts/local/stack.ts": "export const stack = 1;\n",
      }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("lib/identity/x.ts imports scripts/local/stack");
    expect(result.stderr).toContain("lib/identity/x.ts imports API Gateway/Lambda types");
  });
});
