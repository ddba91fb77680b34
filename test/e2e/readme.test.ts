import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { eventually } from "#test/steps/eventually";
import { stack } from "#test/steps/stack";

// The README's first session, run as a newcomer would (bash, curl, jq), against this run's stack:
// the lines are read from the README itself, so the page cannot drift from what works.
const run = promisify(execFile);

function firstSessionLines(): string[] {
  const readme = readFileSync("README.md", "utf8");
  const block = /A first session[^\n]*\n+```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error("README.md has no 'A first session' sh block");
  return block.split("\n").filter((line) => line.trim() !== "");
}

/** `<name>` takes the field `name` of the newest JSON output that has it, else the newest plain output. */
function fillPlaceholders(line: string, outputs: string[]): string {
  return line.replace(/<(\w+)>/g, (whole, name: string) => {
    for (const output of [...outputs].reverse()) {
      const json = (() => {
        try {
          return JSON.parse(output) as unknown;
        } catch {
          return undefined;
        }
      })();
      if (json !== null && typeof json === "object") {
        const value = (json as Record<string, unknown>)[name];
        if (typeof value === "string") return value;
      } else if (output.trim()) return output.trim();
    }
    throw new Error(`nothing earlier gives ${whole}`);
  });
}

describe("README", () => {
  it("its first session works line by line against the local stack", async () => {
    const { api, mail } = stack().urls;
    const lines = firstSessionLines();
    expect(lines.length).toBeGreaterThanOrEqual(5);
    const outputs: string[] = [];
    for (const original of lines) {
      const line = fillPlaceholders(original, outputs).replaceAll("localhost:3000", new URL(api).host).replaceAll("localhost:8005", new URL(mail).host);
      const isApiCall = original.includes("localhost:3000");
      // API calls also print their status (the README's commands stay as a person types them).
      const command = isApiCall ? line.replace("curl -s ", "curl -s -w '\\n%{http_code}' ") : line;
      const output = await eventually(
        async () => (await run("bash", ["-o", "pipefail", "-c", command]).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? "" }))).stdout.trim(),
        (out) => (isApiCall ? /\n2\d\d$/.test(out) : out !== ""),
        `a result from: ${original}`,
        isApiCall ? 0 : 5_000,
      );
      outputs.push(isApiCall ? output.replace(/\n\d{3}$/, "") : output);
    }
    const me = JSON.parse(outputs.at(-1) ?? "{}");
    expect(me).toMatchObject({ username: "ada", email: "ada@example.com", status: "ACTIVE" });
  });
});
