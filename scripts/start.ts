import fs from "node:fs";
import path from "node:path";
import {
  DEFAULT_DATA_DIR,
  type Ports,
  PROJECT_ROOT,
  type RunningStack,
  removeRunningStackFile,
  startStack,
  writeRunningStackFile,
} from "#scripts/local/stack";
import { buildWebApp } from "#scripts/local/web-build";

// `npm start` (`npm start -- --fresh` wipes .local/ first): the whole stack on fixed ports, data
// kept in .local/ across restarts. Ctrl-C stops everything.

const DEFAULT_PORTS: Record<keyof Ports, [envName: string, port: number]> = {
  web: ["HTTP_PORT", 3000],
  websocket: ["WEBSOCKET_PORT", 3001],
  lambda: ["LAMBDA_PORT", 3002],
  http: ["OFFLINE_PORT", 3003],
  dynamodb: ["DYNAMODB_PORT", 8000],
  cognito: ["COGNITO_PORT", 9229],
  ses: ["SES_PORT", 8005],
  sqs: ["SQS_PORT", 9324],
  s3: ["S3_PORT", 4569],
  sms: ["SMS_PORT", 8006],
};

function portsFromEnv(): Ports {
  const ports = {} as Ports;
  for (const [key, [envName, fallback]] of Object.entries(DEFAULT_PORTS) as Array<[keyof Ports, [string, number]]>) {
    const raw = process.env[envName];
    const port = raw ? Number(raw) : fallback;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${envName}=${raw} is not a port number`);
    ports[key] = port;
  }
  return ports;
}

function usage(): never {
  console.log(
    "usage: npm start [-- --fresh]\n  --fresh  delete .local/ (all local data) first\nPorts: set HTTP_PORT (web app + API), OFFLINE_PORT, DYNAMODB_PORT, COGNITO_PORT, SES_PORT, SQS_PORT, S3_PORT, SMS_PORT, LAMBDA_PORT, WEBSOCKET_PORT.",
  );
  process.exit(0);
}

function summary(stack: RunningStack, dataDir: string, stackFile: string, seconds: number): string {
  const { env, urls } = stack;
  const rel = (p: string) => path.relative(process.cwd(), p) || ".";
  const row = (label: string, value: string) => `  ${label.padEnd(26)} ${value}`;
  const queues = Object.keys(env)
    .filter((k) => k.endsWith("_URL") && env.SQS_ENDPOINT && env[k]?.startsWith(env.SQS_ENDPOINT))
    .sort()
    .map((k) => row(k, env[k] ?? ""));
  return [
    "",
    `Local stack is up (stage ${env.STAGE}, ${seconds.toFixed(1)} s).`,
    "",
    row("web app", `${urls.web}/`),
    row("staff console", `${urls.web}/console`),
    row("API", urls.web),
    row("health", `${urls.web}/health`),
    row("OpenAPI", `${urls.web}/openapi.json`),
    row("mail sent (viewer)", `${urls.mail}/`),
    row("mail sent (JSON)", `${urls.mail}/store`),
    row("SMS sent (JSON)", `${urls.web}/local/sms`),
    row("DynamoDB", urls.dynamodb),
    row("Cognito", urls.cognito),
    row("SQS", urls.sqs),
    row("S3", `${urls.s3}  (access key S3RVER)`),
    row("serverless-offline", `${urls.api}  (the API without the front door)`),
    row("stack control", `${urls.control}/parts  (POST /parts/<part>/stop|start|pause|resume)`),
    "",
    row("TABLE_NAME", env.TABLE_NAME ?? ""),
    row("DOCUMENTS_BUCKET", env.DOCUMENTS_BUCKET ?? ""),
    row("USER_POOL_ID", env.USER_POOL_ID ?? ""),
    row("USER_POOL_CLIENT_ID", env.USER_POOL_CLIENT_ID ?? ""),
    ...queues,
    "",
    `  Data in ${rel(dataDir)}/ (kept across restarts; \`npm start -- --fresh\` wipes it), logs in ${rel(stack.logDir)}/.`,
    `  Env of this stack for scripts: ${rel(stackFile)}`,
    "",
    "  Create a staff account:  npm run create-staff -- --username U --email E --password P --groups admin,reviewer",
    "  Run the nightly job now: npm run nightly",
    "",
    "An emulator that exits is restarted; if serverless-offline exits, the stack stops.",
    "Handler output follows. Ctrl-C to stop.",
    "",
  ].join("\n");
}

async function main() {
  // This process creates the resources with the AWS SDK: skip its Node 20 notice (see scripts/local/stack).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) usage();
  const unknown = args.filter((a) => a !== "--fresh");
  if (unknown.length) throw new Error(`unknown argument(s): ${unknown.join(" ")} (try --help)`);

  const dataDir = DEFAULT_DATA_DIR;
  const began = Date.now();
  console.log(`Starting the local stack (data in ${path.relative(PROJECT_ROOT, dataDir)}/)...`);

  // A signal during start-up aborts it; startStack cleans up after itself on failure, but a signal
  // does not fail it, so remember and stop as soon as it returns.
  let stack: RunningStack | undefined;
  let exiting = false;
  const shutdown = async (code: number, reason: string) => {
    if (exiting) return;
    exiting = true;
    console.log(`\n${reason}: stopping the local stack...`);
    removeRunningStackFile(dataDir);
    await stack?.stop();
    console.log("Stopped.");
    process.exit(code);
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => {
      if (!stack) {
        // Still starting: the "exit" hook of scripts/local/supervisor kills the children already spawned.
        console.log(`\n${sig} while starting: stopping.`);
        process.exit(130);
      }
      void shutdown(0, sig);
    });
  }

  // The web app is built on every start (≈ 2 s), so the page served is the code checked out.
  await buildWebApp(PROJECT_ROOT);
  stack = await startStack({
    ports: portsFromEnv(),
    dataDir,
    persistent: true,
    fresh: args.includes("--fresh"),
    offline: true,
    log: (line) => console.log(`  ${line}`),
    report: (line) => console.error(line),
  });
  const stackFile = writeRunningStackFile(dataDir, stack);
  console.log(summary(stack, dataDir, stackFile, (Date.now() - began) / 1000));

  // Request lines and handler logs, as `serverless offline` shows them.
  stack.follow("offline", (line) => console.log(line));

  watchAncestors(() => void shutdown(1, "npm start's parent process is gone"));

  const died = await stack.unexpectedExit;
  console.error(`\n${died.message}`);
  await shutdown(1, `${died.part} stopped`);
}

/**
 * `kill <npm pid>` (SIGTERM, as an IDE's stop button sends) kills the `sh -c` that npm runs the
 * script in, and nothing tells tsx or this process: without this the stack would live on, holding
 * its ports. So: stop when the parent or grandparent process disappears (Linux /proc; elsewhere
 * only the parent is watched).
 */
function watchAncestors(onGone: () => void) {
  const parentOf = (pid: number): number | undefined => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
      return undefined;
    }
  };
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  const timer = setInterval(() => {
    const parentGone = process.ppid !== parent;
    const grandparentGone = grandparent !== undefined && grandparent > 1 && parentOf(parent) !== grandparent;
    if (parentGone || grandparentGone) {
      clearInterval(timer);
      onGone();
    }
  }, 1000);
  timer.unref();
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const hint = message.includes("already in use")
    ? `\n(${Object.values(DEFAULT_PORTS)
        .map(([e]) => e)
        .join(", ")} move the ports.)`
    : "";
  console.error(`\nnpm start failed: ${message}${hint}`);
  process.exit(1);
});
