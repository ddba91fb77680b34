import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { apiDocument } from "../../functions/openapi/document";

// The contract is linted as published: Spectral (the CLI, as anyone would run it) with the OWASP
// API-security ruleset (.spectral.yaml). No errors at all; warnings only of the rules README.md
// accepts, so a new kind of warning fails here until someone accepts it there, with the reason.
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "openapi-lint-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Finding {
  code: string;
  severity: number;
  message: string;
  path: string[];
}

/** The rule codes README.md's table of accepted warnings lists (`| \`owasp:...\` | why |`). */
function acceptedWarnings(): string[] {
  const readme = readFileSync("README.md", "utf8");
  const section = readme.slice(readme.indexOf("### Accepted lint warnings"));
  const table = section.slice(0, section.indexOf("\n\n", section.indexOf("|")));
  return [...table.matchAll(/^\| `([\w:.-]+)` \|/gm)].map((m) => m[1] as string).sort();
}

async function lint(): Promise<Finding[]> {
  const file = join(dir, "openapi.json");
  const out = join(dir, "findings.json");
  writeFileSync(file, JSON.stringify(apiDocument()));
  const cli = join("node_modules", "@stoplight", "spectral-cli", "dist", "index.js");
  // Spectral exits non-zero when it finds errors; the findings file says which.
  await run("node", [cli, "lint", "--ruleset", ".spectral.yaml", "--format", "json", "--output", out, file]).catch(() => undefined);
  return JSON.parse(readFileSync(out, "utf8")) as Finding[];
}

describe("the OpenAPI document (Spectral, OWASP ruleset)", () => {
  it("has no errors, and only the warnings README.md accepts", { timeout: 60_000 }, async () => {
    const findings = await lint();
    const errors = findings.filter((f) => f.severity === 0).map((f) => `${f.code} at ${f.path.join(".")}: ${f.message}`);
    expect(errors).toEqual([]);
    const warnings = [...new Set(findings.filter((f) => f.severity === 1).map((f) => f.code))].sort();
    expect(warnings).toEqual(acceptedWarnings());
  });
});
