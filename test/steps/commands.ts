import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { stack } from "#test/steps/stack";

const exec = promisify(execFile);
let stackDir: string | undefined;

/** A data dir holding the file `npm start` writes, describing this run's stack (this process stands for its pid). */
function stackEnvDir(): string {
  if (!stackDir) {
    stackDir = mkdtempSync(join(tmpdir(), "stack-env-"));
    writeFileSync(join(stackDir, "stack.env.json"), JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), urls: stack().urls, env: stack().env }));
  }
  return stackDir;
}

/** Runs an operator command (`npm run <script> -- args`) against this run's stack, for real. */
export const npmRun = (script: string, args: string[] = []) =>
  exec("npm", ["run", "-s", script, "--", ...args], { env: { ...process.env, LOCAL_STACK_DIR: stackEnvDir() }, timeout: 60_000 });
