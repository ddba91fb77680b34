import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePorts, PROJECT_ROOT, type RunningStack, startStack } from "#scripts/local/stack";
import { buildWebApp } from "#scripts/local/web-build";

// Starts a private local stack for the test run: free ports and a temp data dir, so it runs beside
// a developer's `npm start` without touching it. Tests reach it with inject("stack").

declare module "vitest" {
  export interface ProvidedContext {
    stack: { env: Record<string, string>; urls: RunningStack["urls"]; logDir: string; webDist: string };
  }
}

export default async function setup(project: TestProject) {
  const began = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sharing-users-test-"));
  let stack: RunningStack;
  // The pages the browser tests open: built from this checkout while the emulators start.
  const webDist = path.join(dataDir, "web-dist");
  const built = buildWebApp(PROJECT_ROOT, webDist);
  built.catch(() => undefined);
  try {
    stack = await startStack({
      ports: await freePorts(),
      dataDir,
      persistent: false,
      offline: true,
      webDist,
      // Low limits so lockout tests need few requests; INFO logs so the PII log scan has lines to scan.
      // Per-IP route limits high enough for a test file's own address (test/steps/http.ts), low enough to be reached.
      extraEnv: {
        LOGIN_MAX_FAILURES_ACCOUNT: "5",
        LOGIN_MAX_FAILURES_IP: "30",
        LOGIN_LOCK_SECONDS: "60",
        RATE_LIMIT_REGISTER_PER_IP: "50",
        RATE_LIMIT_CODE_REQUESTS_PER_IP: "50",
        RATE_LIMIT_CODE_CHECKS_PER_IP: "100",
        // Staff need two-factor sign-in here, as on every deployed stage (local `npm start` leaves it off).
        MFA_REQUIRED_FOR_STAFF: "true",
        LOG_LEVEL: "INFO",
        ESBUILD_WATCH_PATTERN: "./.no-rebuild-during-tests",
      },
    });
    await built;
  } catch (error) {
    // Keep the data dir: its logs/ say why.
    console.error(`local stack failed to start (logs in ${path.join(dataDir, "logs")})`);
    throw error;
  }
  console.log(`local stack started in ${((Date.now() - began) / 1000).toFixed(1)} s (API ${stack.urls.api}, data ${dataDir})`);
  project.provide("stack", { env: stack.env, urls: stack.urls, logDir: stack.logDir, webDist });

  return async () => {
    await stack.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
