import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { RunningStack } from "./stack";

// What the stack keeps in its data dir besides the emulators' files: local keys, and the running
// stack's file that other commands read to find it.

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const DEFAULT_DATA_DIR = path.join(PROJECT_ROOT, ".local");
const STACK_FILE = "stack.env.json";

/** --fresh: delete the data dir, but never something that looks like more than a data dir. */
export function wipeDataDir(dataDir: string, root: string) {
  const forbidden = [path.parse(dataDir).root, os.homedir(), os.tmpdir(), root];
  if (forbidden.includes(dataDir) || root.startsWith(dataDir + path.sep)) {
    throw new Error(`local stack: refusing to wipe ${dataDir}`);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}

export interface LocalKeys {
  pii: string;
  hmac: string;
}

/** Two random 32-byte keys (PII encryption, lookup HMAC), created once per data dir. */
export function readOrCreateKeys(dataDir: string): LocalKeys {
  const file = path.join(dataDir, "keys.json");
  if (fs.existsSync(file)) {
    const keys = JSON.parse(fs.readFileSync(file, "utf8")) as LocalKeys;
    if (keys.pii && keys.hmac) return { pii: keys.pii, hmac: keys.hmac };
  }
  const keys = { pii: crypto.randomBytes(32).toString("base64"), hmac: crypto.randomBytes(32).toString("base64") };
  fs.writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}

// ---------------------------------------------------------------- the running stack's file

interface StackFile {
  pid: number;
  startedAt: string;
  /** urls.control is the control server (GET /parts). */
  urls: RunningStack["urls"];
  env: Record<string, string>;
}

/** npm start records the running stack here so create-staff, nightly and bench can find it. */
export function stackFilePath(dataDir = DEFAULT_DATA_DIR): string {
  return path.join(dataDir, STACK_FILE);
}

export function writeRunningStackFile(dataDir: string, stack: RunningStack): string {
  const file = stackFilePath(dataDir);
  const content: StackFile = { pid: process.pid, startedAt: new Date().toISOString(), urls: stack.urls, env: stack.env };
  fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  return file;
}

export function removeRunningStackFile(dataDir: string): void {
  fs.rmSync(stackFilePath(dataDir), { force: true });
}

/** The env of the stack `npm start` runs (default data dir: <project>/.local). */
export function readRunningStackEnv(dataDir = DEFAULT_DATA_DIR): Record<string, string> {
  const file = stackFilePath(dataDir);
  if (!fs.existsSync(file)) {
    throw new Error(`No local stack is running (${file} is missing): start the stack with npm start first.`);
  }
  const content = JSON.parse(fs.readFileSync(file, "utf8")) as StackFile;
  if (!isAlive(content.pid)) {
    throw new Error(`The local stack recorded in ${file} (pid ${content.pid}) is not running: start the stack with npm start first.`);
  }
  return content.env;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
