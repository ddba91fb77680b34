import fs from "node:fs";
import path from "node:path";
import { LOCAL_REGION, printServerlessConfig } from "./config";
import { type ControlServer, type PartControl, startControlServer } from "./control";
import { PROJECT_ROOT, readOrCreateKeys, wipeDataDir } from "./data-dir";
import { EMULATORS, type EmulatorContext, type EmulatorName } from "./emulators";
import { smsFile } from "./emulators/sms";
import { assertPortFree, pickFreePorts } from "./net";
import { OFFLINE_TIMEOUT_MS, offlineLaunch, offlineReady } from "./offline";
import { type PartFailure, Supervisor } from "./supervisor";
import { startWatchdog } from "./watchdog";
import { startWebFront, type WebFront } from "./web";

// The local stack: six emulators (DynamoDB Local, cognito-local, aws-ses-v2-local, s3rver,
// local-aws-sqs and an SMS sink that answers SNS Publish; one module each in emulators/), the resources of serverless.yml created on them,
// and optionally serverless-offline serving the HTTP API with the environment that points at them.
// An emulator that exits is restarted and set up again; a control server stops, starts, pauses and
// resumes parts on request. Used by `npm start` (scripts/start.ts), the bench and the tests'
// globalSetup.

export { DEFAULT_DATA_DIR, PROJECT_ROOT, readRunningStackEnv, removeRunningStackFile, stackFilePath, writeRunningStackFile } from "./data-dir";
export { JAVA_MISSING } from "./emulators";
export type { PartStatus } from "./control";

export interface Ports {
  /** The front door: the web app and, proxied, the API (http://127.0.0.1:3000 under npm start). */
  web: number;
  /** serverless-offline itself. */
  http: number;
  lambda: number;
  websocket: number;
  dynamodb: number;
  cognito: number;
  ses: number;
  sqs: number;
  s3: number;
  sms: number;
}

export interface StackOptions {
  /** Callers choose; tests use freePorts(). */
  ports: Ports;
  /** Emulator data, logs, local keys and the esbuild work folder live here. */
  dataDir: string;
  /** true: data survives restarts (npm start); false: DynamoDB in memory (tests). */
  persistent: boolean;
  /** Wipe dataDir first. */
  fresh?: boolean;
  /** Also start serverless-offline (the HTTP API) once the resources exist. */
  offline: boolean;
  /** Default "local". */
  stage?: string;
  /** The built web app the front door serves (default web/dist). */
  webDist?: string;
  /** Extra env for serverless-offline; it reaches handlers only through provider.environment. */
  extraEnv?: Record<string, string>;
  /** Progress while starting. */
  log?: (line: string) => void;
  /** A part exited and is restarted, or is given up. Default: console.error. */
  report?: (line: string) => void;
  /** Default: the project this file belongs to. */
  projectRoot?: string;
}

export type PartName = EmulatorName | "offline";

export interface RunningStack {
  /** Everything a handler or script needs to talk to this stack. */
  env: Record<string, string>;
  /** control: the control server (GET /parts, POST /parts/<part>/stop|start|pause|resume). */
  /** api: serverless-offline; web: the front door (web app + API on one origin). */
  urls: { api: string; web: string; mail: string; dynamodb: string; cognito: string; sqs: string; s3: string; sms: string; control: string };
  /** Where each part's output goes (<name>.log). */
  logDir: string;
  /** Kills every child process group and waits for them; idempotent. */
  stop(): Promise<void>;
  /** Resolves if a part (an emulator or serverless-offline) keeps exiting and is given up (never, once stop() was called). */
  unexpectedExit: Promise<PartFailure>;
  /** Calls onLine for each line a part prints from now on (e.g. "offline": the handlers' logs). */
  follow(part: PartName, onLine: (line: string) => void): void;
  /** Stop, start, pause and resume parts (also over HTTP at urls.control). */
  parts: PartControl;
}

const HOST = "127.0.0.1";
const EMULATOR_TIMEOUT_MS = 30_000;
// Creating the resources waits for `serverless print`, which competes with the starting emulators.
const SETUP_TIMEOUT_MS = 60_000;

/** Distinct ports that are free now (tests run beside `npm start` this way). */
export async function freePorts(): Promise<Ports> {
  const [web, http, lambda, websocket, dynamodb, cognito, ses, sqs, s3, sms] = (await pickFreePorts(10)) as number[] as [number, number, number, number, number, number, number, number, number, number];
  return { web, http, lambda, websocket, dynamodb, cognito, ses, sqs, s3, sms };
}

export async function startStack(opts: StackOptions): Promise<RunningStack> {
  const began = Date.now();
  const log = opts.log ?? (() => {});
  const report = opts.report ?? ((line: string) => console.error(line));
  const stage = opts.stage ?? "local";
  const root = path.resolve(opts.projectRoot ?? PROJECT_ROOT);
  const dataDir = path.resolve(opts.dataDir);
  const { ports } = opts;
  const url = (port: number) => `http://${HOST}:${port}`;

  if (opts.fresh) wipeDataDir(dataDir, root);
  const logDir = path.join(dataDir, "logs");
  fs.mkdirSync(logDir, { recursive: true });

  // Fail before starting anything on what we can check up front (java, ports).
  const emulators = EMULATORS.map((emulator) => {
    const port = ports[emulator.name];
    const ctx: EmulatorContext = { root, dataDir, host: HOST, port, url: url(port), persistent: opts.persistent };
    return { emulator, ctx, launch: emulator.launch(ctx) };
  });
  const wanted = Object.entries(ports).filter(([name]) => opts.offline || !["web", "http", "lambda", "websocket"].includes(name));
  if (new Set(wanted.map(([, port]) => port)).size !== wanted.length) {
    throw new Error(`local stack: ports must be distinct: ${JSON.stringify(ports)}`);
  }
  await Promise.all(wanted.map(([name, port]) => assertPortFree(port, name)));

  // Serverless resolves serverless.yml (≈ 3 s) while the emulators start.
  const config = printServerlessConfig(root, stage);
  config.catch(() => undefined); // awaited by each emulator's set-up; a failure is reported there

  let fatal: (failure: PartFailure) => void = () => {};
  const unexpectedExit = new Promise<PartFailure>((resolve) => (fatal = resolve));
  const watchdog = startWatchdog();
  const supervisor = new Supervisor({ logDir, watchdog, log, report, onFatal: (f) => fatal(f), setupTimeoutMs: SETUP_TIMEOUT_MS });
  let control: ControlServer | undefined;
  let front: WebFront | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await control?.close();
      await front?.close();
      await supervisor.stopAll();
      watchdog.release();
    })();
    return stopping;
  };

  // The SDK's "node >= 22 from 2027" notice is noise here: this machine runs Node 20 by design.
  // (AWS_* variables reach handlers through serverless-offline.)
  const baseEnv = { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
  const resourceEnv: Record<string, string> = {};
  const created: string[] = [];
  let up = false;
  const restartOffline = async () => {
    report("local stack: restarting serverless-offline so that it reads the new table stream");
    // A busy machine can make one start miss its deadline: a second try before giving up.
    for (let attempt = 1; attempt <= 2 && !supervisor.stopping; attempt++) {
      await supervisor.stop("offline");
      const failed = await supervisor.start("offline").then(() => undefined, (error: Error) => error);
      if (!failed) return;
      if (!supervisor.stopping) report(`local stack: serverless-offline did not come back (try ${attempt} of 2): ${failed.message}`);
    }
  };
  for (const { emulator, ctx, launch } of emulators) {
    const createResources = emulator.createResources;
    supervisor.add({
      name: emulator.name,
      ...launch,
      env: { ...baseEnv, ...launch.env },
      ready: () => emulator.ready(ctx),
      readyTimeoutMs: EMULATOR_TIMEOUT_MS,
      restartOnExit: true,
      setup:
        createResources &&
        (async () => {
          const out = await createResources(await config, ctx);
          if (!up) {
            Object.assign(resourceEnv, out.env);
            created.push(...out.created);
            return;
          }
          // After a restart: the handlers keep the env of the first start.
          for (const [key, value] of Object.entries(out.env)) {
            if (resourceEnv[key] !== value) report(`local stack: ${key} is now ${value} (was ${resourceEnv[key]}): restart the stack`);
          }
          // A new DynamoDB process has a new table stream: serverless-offline's stream reader
          // must start over on it (in the background; the API is back within seconds).
          if (emulator.name === "dynamodb" && supervisor.names().includes("offline")) void restartOffline();
        }),
    });
  }

  try {
    // 1. Emulators, in parallel; each creates its resources from serverless.yml once ready.
    await Promise.all(emulators.map(({ emulator }) => supervisor.start(emulator.name)));
    const { service } = await config;
    // Queues are always new (the SQS emulator keeps them in memory), so they are not listed.
    log(created.length ? `created: ${created.join(", ")}` : "table, user pool and bucket: found from an earlier start");
    up = true;

    // 2. Local keys, stable per data dir so persistent data stays readable after a restart.
    const keys = readOrCreateKeys(dataDir);

    // 3. The environment of handlers and scripts.
    const env: Record<string, string> = {
      STAGE: stage,
      SERVICE_NAME: service,
      ...resourceEnv,
      DYNAMODB_ENDPOINT: url(ports.dynamodb),
      COGNITO_ENDPOINT: url(ports.cognito),
      SES_ENDPOINT: url(ports.ses),
      S3_ENDPOINT: url(ports.s3),
      SQS_ENDPOINT: url(ports.sqs),
      LOCAL_KEYS: JSON.stringify(keys),
      SNS_ENDPOINT: url(ports.sms),
      LOCAL_SMS_FILE: smsFile(dataDir),
      // Where the stream emulator remembers how far it read (per data dir).
      STREAMS_CHECKPOINT_FILE: path.join(dataDir, "streams-checkpoint.json"),
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      HTTP_PORT: String(ports.http),
      LAMBDA_PORT: String(ports.lambda),
      WEBSOCKET_PORT: String(ports.websocket),
      HOST,
      // serverless-esbuild joins this onto the project dir (an absolute path would nest), so it
      // must be relative. A folder per data dir lets tests build beside a running `npm start`.
      ESBUILD_WORK_FOLDER: path.relative(root, path.join(dataDir, "esbuild")),
      SLS_TELEMETRY_DISABLED: "1",
      SLS_NOTIFICATIONS_MODE: "off",
      ...opts.extraEnv,
    };
    for (const key of ["TABLE_NAME", "USER_POOL_ID", "USER_POOL_CLIENT_ID", "DOCUMENTS_BUCKET"]) {
      if (!env[key]) throw new Error(`local stack: serverless.yml declared nothing that gives ${key}`);
    }

    control = await startControlServer(supervisor, HOST);
    const api = url(ports.http);
    const urls = {
      api,
      web: url(ports.web),
      mail: env.SES_ENDPOINT as string,
      dynamodb: env.DYNAMODB_ENDPOINT as string,
      cognito: env.COGNITO_ENDPOINT as string,
      sqs: env.SQS_ENDPOINT as string,
      s3: env.S3_ENDPOINT as string,
      sms: `${api}/local/sms`,
      control: control.url,
    };

    // 4. The HTTP API, and the queue and stream consumers. Restarted if it exits (its stream and
    // queue readers give up when an emulator they poll goes away); given up after repeated exits.
    if (opts.offline) {
      supervisor.add({
        name: "offline",
        ...offlineLaunch(root, stage, HOST, ports),
        env: { ...baseEnv, ...env },
        ready: () => offlineReady(api),
        readyTimeoutMs: OFFLINE_TIMEOUT_MS,
        restartOnExit: true,
      });
      await supervisor.start("offline");
      front = await startWebFront({ host: HOST, port: ports.web, apiUrl: api, distDir: opts.webDist ?? path.join(root, "web", "dist") });
    }
    log(`local stack up in ${((Date.now() - began) / 1000).toFixed(1)} s`);

    return {
      env,
      urls,
      logDir,
      stop,
      unexpectedExit,
      follow: (part, onLine) => {
        if (supervisor.names().includes(part)) supervisor.follow(part, onLine);
      },
      parts: supervisor,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
