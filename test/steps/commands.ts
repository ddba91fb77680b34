import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { stack } from "#test/steps/stack";

const exec = promisify(execFile);
let stackDir: string | undefined;

/** A data dir holding the file `npm start` writes, describing this run's stack (this process stands for its pid). */
export function stackEnvDir(): string {
  if (!stackDir) {
    stackDir = mkdtempSync(join(tmpdir(), "stack-env-"));
    writeFileSync(join(stackDir, "stack.env.json"), JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), urls: stack().urls, env: stack().env }));
  }
  return stackDir;
}

/** Runs an operator command (`npm run <script> -- args`) against this run's stack, for real. */
export const npmRun = (script: string, args: string[] = [], env: Record<string, string> = {}) =>
  exec("npm", ["run", "-s", script, "--", ...args], { env: { ...process.env, LOCAL_STACK_DIR: stackEnvDir(), ...env }, timeout: 90_000 });

/** A run record as `npm run nightly` prints it (its last line). */
export interface NightlyRunOutput {
  runId: string;
  asOf: string;
  status: string;
  resumed: boolean;
  durationMs: number;
  steps: { name: string; status: string; counts: Record<string, number> }[];
}

/**
 * `npm run nightly`, waiting its turn: test files run in parallel, and a run started while
 * another holds the job's lease refuses at once (exit code 3) by design.
 */
/** `npm run nightly`, waiting its turn while another test file's run holds the lease; `asOf` is the test clock. */
export async function nightly(env: Record<string, string> = {}, options: { asOf?: string } = {}): Promise<NightlyRunOutput> {
  const deadline = Date.now() + 80_000;
  for (;;) {
    try {
      const { stdout } = await npmRun("nightly", options.asOf ? ["--as-of", options.asOf] : [], env);
      return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as NightlyRunOutput;
    } catch (error) {
      if ((error as { code?: number }).code !== 3 || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
