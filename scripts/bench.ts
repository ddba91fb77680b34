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
import type { HttpLambda } from "./bench/events";
import { createRecorder, type FloorResult, measureFloor, type RecordedRequest } from "./bench/floor";
import { loadHandler, runHandlerBench } from "./bench/handlers";
import { BREACH_ENV, benchBreach, type SqsLambda } from "./bench/breach";
import { benchOutbox, type OutboxSettings } from "./bench/outbox";
import { benchRecompute } from "./bench/recompute";
import { formatReport, type StackResults, toJson, writeJson } from "./bench/report";
import { round } from "./bench/stats";
import { OutboxStreamConsumer, type StreamLambda } from "./bench/stream";
import { installTaps } from "./bench/taps";
import { measureWeb } from "./bench/web";

const COLD_INIT_RUNS = 7;
const HANDLER_SETTINGS = { calls: 200, warmup: 10, loginUsers: 50 };
/** Requests per handler whose network calls are replayed alone. */
const FLOOR_SAMPLES = 50;
/**
 * AWS delivers stream batches of 25 (serverless.yml senderBatchSize); 4 in flight stand for
 * parallel shards / sender instances; 8 lanes per instance keep 4 × 8 = 32 messages in flight,
 * within the SDK's 50 sockets to DynamoDB. The send rate is high enough never to pace.
 */
const OUTBOX_SETTINGS: OutboxSettings = {
  messages: 2000,
  warmup: 200,
  batchSize: 25,
  batchesInFlight: 4,
  lanes: 8,
  sendRatePerSecond: 100_000,
  trickle: 50,
  trickleIntervalMs: 20,
  idlePollMs: 250,
  rounds: 3,
};
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

    const web = await measureWeb(PROJECT_ROOT, path.join(workDir, "web"));
    log(`web app: first page ${web.firstPageJsGzipKB} KB of gzipped JS (target <= 150) + ${web.firstPageCssGzipKB} KB CSS; lazy chunks ${web.chunks.map((c) => `${c.file} ${c.gzipKB}`).join(", ")} KB; built in ${web.buildSeconds} s`);

    const results = await benchStack(fns, path.join(workDir, "stack"));

    const json = toJson({
      bundles,
      coldInit,
      ...results,
      settings: { ...HANDLER_SETTINGS, floorSamples: FLOOR_SAMPLES, coldInitRuns: COLD_INIT_RUNS, esbuild: esbuildOptions },
      loadAtStart,
      durationSeconds: round((performance.now() - began) / 1000, 1),
    });
    writeJson(RESULTS_FILE, { ...json, web });
    console.log(`\n${formatReport(json)}\n`);
    log(`done; results in ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } catch (error) {
    keepWorkDir = true;
    throw error;
  }
}

/** Starts a private stack, points this process at it, and runs the handler, recompute and outbox scenarios. */
async function benchStack(fns: FunctionDef[], dataDir: string): Promise<StackResults> {
  log("starting the local stack (emulators only)");
  const stack = await startStack({ ports: await freePorts(), dataDir, persistent: false, offline: false });
  cleanups.push(() => stack.stop());

  // Handlers read their config and create their SDK clients when first imported, so the env must
  // be in place before any of them (or lib/clients/dynamodb) is loaded. Log level as serverless.yml
  // sets it on the local stage, so a log line per request does not flood the report. The sender's
  // pace is set high (config is read once per process): the bench measures the pipeline, not the
  // SES quota the pacer protects.
  Object.assign(process.env, stack.env, {
    POWERTOOLS_SERVICE_NAME: "sharing-users",
    POWERTOOLS_LOG_LEVEL: process.env.LOG_LEVEL ?? "WARN",
    OUTBOX_SEND_RATE: String(OUTBOX_SETTINGS.sendRatePerSecond),
    OUTBOX_LANES: String(OUTBOX_SETTINGS.lanes),
    ...BREACH_ENV,
  });
  const { config } = await import("#lib/config");
  const { outbox } = config();
  if (outbox.lanes !== OUTBOX_SETTINGS.lanes || outbox.sendRatePerSecond !== OUTBOX_SETTINGS.sendRatePerSecond) {
    throw new Error(`the sender's config was read before the bench set it: ${JSON.stringify(outbox)}`);
  }
  const { dynamodb, tableName } = await import("#lib/clients/dynamodb");
  const meter = installMeter(dynamodb);
  const taps = installTaps(dynamodb);
  const recorder = createRecorder(taps);
  const handler = async <T = HttpLambda>(name: string) => {
    const fn = fns.find((f) => f.name === name);
    if (!fn) throw new Error(`functions.yml has no function ${name}`);
    return loadHandler<T>(fn);
  };
  const handlers = {
    register: await handler("register"),
    verify: await handler("verify"),
    login: await handler("login"),
    "get-me": await handler("get-me"),
  };
  // The outbox sender, fed by the table stream as its event source mapping would on AWS.
  const consumer = await OutboxStreamConsumer.open(
    stack.urls.dynamodb,
    tableName(),
    await handler<StreamLambda>("send-messages"),
    { batchSize: OUTBOX_SETTINGS.batchSize, batchesInFlight: OUTBOX_SETTINGS.batchesInFlight, idlePollMs: OUTBOX_SETTINGS.idlePollMs, maxAttempts: 5, functionName: "sharing-users-local-send-messages" },
    taps.realFetch,
  );

  log(`handlers in-process: ${HANDLER_SETTINGS.calls} calls each after ${HANDLER_SETTINGS.warmup} warm-up`);
  // An emulator dying mid-run would otherwise show up as a confusing connection error (or a hang).
  const died = stack.unexpectedExit.then(({ message }) => {
    throw new Error(message);
  });
  const afterRegister = async () => {
    const before = consumer.handled;
    await consumer.drain();
    log(`  outbox drained: ${consumer.handled - before} messages delivered by send-messages`);
  };
  // The floor: right after each phase, its sampled requests' network calls replayed alone.
  const floors: FloorResult[] = [];
  const afterPhase = async (name: string, samplesMs: number[], recorded: RecordedRequest[]) => {
    const floor = await measureFloor(name, recorded, samplesMs, dynamodb, taps.realFetch, FLOOR_SAMPLES);
    log(`  ${name} floor: ${FLOOR_SAMPLES} requests' calls replayed alone, p50 ${floor.replayP50Ms} ms (handler ÷ replay ${floor.ratio}×)`);
    floors.push(floor);
  };
  const hooks = { afterRegister, recorder, afterPhase };
  const results = await Promise.race([runHandlerBench(handlers, stack.urls.mail, meter, HANDLER_SETTINGS, log, hooks), died]);
  // Zero calls would mean the handlers got another copy of the client module than the meter.
  if (results.every((r) => r.dynamodb.calls === 0)) {
    throw new Error("the DynamoDB meter saw no calls: the handlers do not use the client from #lib/clients/dynamodb");
  }

  // The throughput scenarios run the code as deployed: no ReturnConsumedCapacity on their calls.
  meter.pause();
  const recompute = await Promise.race([benchRecompute(log), died]);
  const pids = () => {
    const status = stack.parts.status();
    return { dynamodb: status.dynamodb?.pid, ses: status.ses?.pid };
  };
  const outboxResult = await Promise.race([benchOutbox(consumer, taps, stack.urls.mail, pids, OUTBOX_SETTINGS, log), died]);
  const breach = await Promise.race([benchBreach(await handler<SqsLambda>("incident-response"), consumer, log), died]);
  return { handlers: results, floors, recompute, outbox: outboxResult, breach };
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
