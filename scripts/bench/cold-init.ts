import { spawn } from "node:child_process";
import crypto from "node:crypto";
import { median, round } from "./stats";

// Cold module init: what a Lambda cold start pays before the first event, measured as the time to
// require() the bundle in a brand-new node process (the child prints it, so process start-up and
// node's own boot are excluded).

export interface ColdInitResult {
  name: string;
  runs: number[];
  medianMs: number;
  /** The least disturbed run: closest to the true cost on a busy machine. */
  minMs: number;
}

const CHILD = [
  "const { performance } = require('node:perf_hooks');",
  "const file = process.argv[1];",
  "const started = performance.now();",
  "require(file);",
  "const ms = performance.now() - started;",
  // Pipes are synchronous on Linux, so the line is out before exit; exit so that timers or sockets
  // a module opened at init do not keep the child alive.
  "process.stdout.write(JSON.stringify({ ms }) + '\\n');",
  "process.exit(0);",
].join("\n");

/** What a handler finds in its environment on the local stage, with endpoints nobody listens on. */
function plausibleEnv(functionName: string): NodeJS.ProcessEnv {
  const key = () => crypto.randomBytes(32).toString("base64");
  const nowhere = "http://127.0.0.1:1";
  return {
    PATH: process.env.PATH,
    STAGE: "local",
    SERVICE_NAME: "sharing-users",
    TABLE_NAME: "x",
    DOCUMENTS_BUCKET: "x",
    USER_POOL_ID: "local_x",
    USER_POOL_CLIENT_ID: "x",
    LOCAL_KEYS: JSON.stringify({ pii: key(), hmac: key() }),
    LOCAL_SMS_FILE: "/dev/null",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_LAMBDA_FUNCTION_NAME: `sharing-users-local-${functionName}`,
    AWS_NODEJS_CONNECTION_REUSE_ENABLED: "1",
    POWERTOOLS_SERVICE_NAME: "sharing-users",
    POWERTOOLS_LOG_LEVEL: "WARN",
    DYNAMODB_ENDPOINT: nowhere,
    COGNITO_ENDPOINT: nowhere,
    SES_ENDPOINT: nowhere,
    S3_ENDPOINT: nowhere,
    SQS_ENDPOINT: nowhere,
  };
}

function measureOnce(name: string, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", CHILD, file], { env: plausibleEnv(name), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.trim().split("\n").at(-1) ?? "";
      try {
        if (code !== 0) throw new Error(`exit code ${code}`);
        resolve((JSON.parse(line) as { ms: number }).ms);
      } catch (error) {
        reject(new Error(`cold init of ${name} failed (${(error as Error).message}): ${err.trim().slice(-2000) || line}`));
      }
    });
  });
}

/**
 * Runs round-robin (every bundle once, then again...) and one child at a time, so that a burst of
 * background load or the file cache warming up spreads over all functions instead of biasing one.
 */
export async function measureColdInit(bundles: Array<{ name: string; file: string }>, runs: number): Promise<ColdInitResult[]> {
  const samples = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  for (let run = 0; run < runs; run++) {
    for (const bundle of bundles) samples.get(bundle.name)?.push(await measureOnce(bundle.name, bundle.file));
  }
  return bundles.map(({ name }) => {
    const ms = samples.get(name) ?? [];
    return { name, runs: ms.map((v) => round(v)), medianMs: round(median(ms)), minMs: round(Math.min(...ms)) };
  });
}
