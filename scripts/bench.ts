// npm run bench: bundle size and cold module-init time of every function, then latency and
// DynamoDB cost of register, verify, login and GET /me called in-process against a private local
// stack. Prints a table and writes bench-results/bench.json. It is a report: missed targets do not
// fail it (exit 0); a crash or a handler answering the wrong status does (exit 1).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePorts, PROJECT_ROOT, startStack } from "#scripts/local/stack";
import { buildAll } from "./bench/bundle";
import { measureColdInit } from "./bench/cold-init";
import { installMeter } from "./bench/dynamo-meter";
import { readEsbuildOptions } from "./bench/esbuild-options";
import type { FunctionDef } from "./bench/functions";
import { readFunctions } from "./bench/functions";
import { type HandlerResult, loadHandler, runHandlerBench } from "./bench/handlers";
import { benchRecompute } from "./bench/recompute";
import { formatReport, toJson, writeJson } from "./bench/report";
import { round } from "./bench/stats";

const COLD_INIT_RUNS = 7;
const HANDLER_SETTINGS = { calls: 200, warmup: 10, loginUsers: 50 };
const RESULTS_FILE = path.join(PROJECT_ROOT, "bench-results", "bench.json");

const began = performance.now();
// The machine may be shared (other builds and tests): the report shows how busy it was.
const loadAtStart = os.loadavg();
const elapsed = () => `${((performance.now() - began) / 1000).toFixed(1)} s`;
const log = (line: string) => console.log(`[bench ${elapsed()}] ${line}`);

// Undone in reverse order on success, failure and Ctrl-C: the emulators are detached process
// groups, so nothing else would stop them.
const cleanups: Array<() => Promise<void> | void> = [];
let cleaning: Promise<void> | undefined;
let interrupted = false;

/** Idempotent: a signal arriving while main() is failing (or a second Ctrl-C) waits for the same run. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (let undo = cleanups.pop(); undo; undo = cleanups.pop()) {
      try {
        await undo();
      } catch (error) {
        console.error(`[bench] cleanup failed: ${(error as Error).message}`);
      }
    }
  })();
  return cleaning;
}

// process.on, not once: Ctrl-C reaches this process both from the terminal and relayed by tsx and
// npm; with no listener left, tsx's own handler would exit at once, before the cleanup is done.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (!interrupted) log(`${signal}: stopping the local stack`);
    interrupted = true;
    void cleanup().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  });
}

async function main(): Promise<void> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "sharing-users-bench-"));
  let keepWorkDir = false;
  cleanups.push(() => {
    if (keepWorkDir && !interrupted) console.error(`[bench] kept ${workDir} (emulator logs in stack/logs)`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  });
  try {
    const fns = readFunctions(PROJECT_ROOT);

    const esbuildOptions = readEsbuildOptions(PROJECT_ROOT);
    log(`building ${fns.length} functions with serverless.yml's esbuild options ${JSON.stringify(esbuildOptions)}`);
    const bundles = await buildAll(fns, esbuildOptions, path.join(workDir, "bundles"), PROJECT_ROOT);

    // Before the stack starts: the JVM and the emulators would compete for the same cores.
    log(`cold module init: ${COLD_INIT_RUNS} fresh node processes per bundle`);
    const coldInit = await measureColdInit(bundles, COLD_INIT_RUNS);

    const handlers = await benchHandlers(fns, path.join(workDir, "stack"));

    const json = toJson({
      bundles,
      coldInit,
      handlers,
      settings: { ...HANDLER_SETTINGS, coldInitRuns: COLD_INIT_RUNS, esbuild: esbuildOptions },
      loadAtStart,
      durationSeconds: round((performance.now() - began) / 1000, 1),
    });
    writeJson(RESULTS_FILE, json);
    console.log(`\n${formatReport(json)}\n`);
    log(`done; results in ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } catch (error) {
    keepWorkDir = true;
    throw error;
  }
}

/** Starts a private stack, points this process at it, and runs the handler scenario. */
async function benchHandlers(fns: FunctionDef[], dataDir: string): Promise<HandlerResult[]> {
  log("starting the local stack (emulators only)");
  const stack = await startStack({ ports: await freePorts(), dataDir, persistent: false, offline: false });
  cleanups.push(() => stack.stop());

  // Handlers read their config and create their SDK clients when first imported, so the env must
  // be in place before any of them (or lib/clients/dynamodb) is loaded. Log level as serverless.yml
  // sets it on the local stage, so a log line per request does not flood the report.
  Object.assign(process.env, stack.env, {
    POWERTOOLS_SERVICE_NAME: "sharing-users",
    POWERTOOLS_LOG_LEVEL: process.env.LOG_LEVEL ?? "WARN",
  });
  const { dynamodb } = await import("#lib/clients/dynamodb");
  const meter = installMeter(dynamodb);
  const handler = async (name: string) => {
    const fn = fns.find((f) => f.name === name);
    if (!fn) throw new Error(`functions.yml has no function ${name}`);
    return loadHandler(fn);
  };
  const handlers = {
    register: await handler("register"),
    verify: await handler("verify"),
    login: await handler("login"),
    "get-me": await handler("get-me"),
  };

  log(`handlers in-process: ${HANDLER_SETTINGS.calls} calls each after ${HANDLER_SETTINGS.warmup} warm-up`);
  // An emulator dying mid-run would otherwise show up as a confusing connection error (or a hang).
  const died = stack.unexpectedExit.then(({ message }) => {
    throw new Error(message);
  });
  const results = await Promise.race([runHandlerBench(handlers, stack.urls.mail, meter, HANDLER_SETTINGS, log), died]);
  await Promise.race([benchRecompute(log), died]);

  // Zero calls would mean the handlers got another copy of the client module than the meter.
  if (results.every((r) => r.dynamodb.calls === 0)) {
    throw new Error("the DynamoDB meter saw no calls: the handlers do not use the client from #lib/clients/dynamodb");
  }
  return results;
}

main()
  .then(async () => {
    await cleanup();
    // Keep-alive sockets of the SDK clients would keep the process up.
    process.exit(0);
  })
  .catch(async (error: Error) => {
    // Stopping the stack under a running handler makes it fail: not news after Ctrl-C.
    if (interrupted) return;
    console.error(`[bench] failed after ${elapsed()}: ${error.stack ?? error.message}`);
    await cleanup();
    process.exit(1);
  });
