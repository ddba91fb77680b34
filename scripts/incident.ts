// npm run incident -- --type ACCOUNT_COMPROMISE --users u1,u2 --severity HIGH [options]
// Puts an incident message on the incidents queue of the running local stack (or, with --stage,
// of that AWS stage), exactly as POST /admin/incidents does; the incident-response consumer runs
// the runbook. Also: --resolve <id> --summary "...", --retry <id> (a FAILED incident), and
// --wait to return only when the incident is MITIGATED, RESOLVED or FAILED. Prints JSON, the last
// line being { incidentId, status? }. Exit codes: 2 bad arguments, 4 the incident FAILED.
import { randomUUID } from "node:crypto";
import os from "node:os";
import { parseArgs } from "node:util";
import { useStage } from "./env";

const USAGE = `usage:
  npm run incident -- --type ACCOUNT_COMPROMISE|FRAUD_RING --users u1,u2 --severity LOW|MEDIUM|HIGH|CRITICAL [--summary TEXT]
  npm run incident -- --type CREDENTIAL_STUFFING --severity HIGH [--source-ips 203.0.113.7,...] [--period-minutes 60]
                      [--max-failures-account 3] [--max-failures-ip 10]
  npm run incident -- --type DATA_BREACH --severity CRITICAL --data-categories EMAIL,PASSWORD [--credentials]
                      (--users u1,u2 | --registered-before ISO [--registered-after ISO]) [--detected-at ISO]
  npm run incident -- --resolve <incidentId> --summary TEXT
  npm run incident -- --retry <incidentId>
options: --stage S (default: the running local stack), --requested-by NAME, --incident-id UUID, --wait [--wait-seconds 300]`;

const list = (value: string | undefined) => (value ? value.split(",").map((s) => s.trim()).filter(Boolean) : undefined);
const int = (value: string | undefined) => (value === undefined ? undefined : Number(value));

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

async function queueUrlOf(stage: string | undefined): Promise<string> {
  if (!stage || stage === "local" || process.env.INCIDENTS_QUEUE_URL) return process.env.INCIDENTS_QUEUE_URL ?? "";
  const { SQSClient, GetQueueUrlCommand } = await import("@aws-sdk/client-sqs");
  const out = await new SQSClient({}).send(new GetQueueUrlCommand({ QueueName: `sharing-users-${stage}-incidents` }));
  return out.QueueUrl ?? "";
}

async function main() {
  const strings = ["type", "users", "severity", "summary", "source-ips", "period-minutes", "max-failures-account", "max-failures-ip", "data-categories", "detected-at"]
    .concat(["registered-before", "registered-after", "resolve", "retry", "stage", "requested-by", "incident-id", "wait-seconds"]);
  const options: Record<string, { type: "string" | "boolean" }> = Object.fromEntries(strings.map((name) => [name, { type: "string" }]));
  for (const flag of ["credentials", "wait", "help"]) options[flag] = { type: "boolean" };
  const { values: v } = parseArgs({ options }) as { values: Record<string, string | boolean | undefined> };
  const s = (name: string) => v[name] as string | undefined;
  if (v.help) fail(USAGE, 0);

  const requestedBy = s("requested-by") ?? `ops:${os.userInfo().username.replace(/[^A-Za-z0-9._-]/g, "") || "cli"}`;
  const incidentId = s("resolve") ?? s("retry") ?? s("incident-id") ?? randomUUID();
  let message: Record<string, unknown>;
  if (s("resolve")) message = { action: "RESOLVE", incidentId, requestedBy, summary: s("summary") };
  else if (s("retry")) message = { action: "RETRY", incidentId, requestedBy };
  else {
    const type = s("type") ?? fail(`--type is required\n${USAGE}`);
    const affected = s("registered-before") || s("registered-after") ? { registeredBefore: s("registered-before"), registeredAfter: s("registered-after") } : undefined;
    const details = {
      summary: s("summary") ?? `${type} reported by ${requestedBy} from the command line`,
      sourceIps: list(s("source-ips")),
      periodMinutes: int(s("period-minutes")),
      maxFailuresPerAccount: int(s("max-failures-account")),
      maxFailuresPerIp: int(s("max-failures-ip")),
      detectedAt: s("detected-at"),
      dataCategories: list(s("data-categories")),
      credentialsInvolved: type === "DATA_BREACH" ? v.credentials === true : undefined,
      affected,
    };
    message = { incidentId, type, severity: s("severity"), userIds: list(s("users")), details, requestedBy };
  }
  message = JSON.parse(JSON.stringify(message)); // drops what was not given

  if (s("stage") && s("stage") !== "local") process.env.STAGE = s("stage");
  else await useStage(undefined);
  // Imported once the environment points at the stage: modules read their configuration once.
  const { parseIncidentMessage } = await import("#lib/incidents/message");
  const parsed = parseIncidentMessage(JSON.stringify(message));
  if (!parsed.ok) fail(`not a valid incident message: ${parsed.reason}\n${USAGE}`);

  if (s("stage") && s("stage") !== "local") process.env.TABLE_NAME ??= `sharing-users-${s("stage")}`;
  const { getIncident } = await import("#lib/data/incident");
  // What the incident's timeline holds now: --wait settles only on what happened after this message.
  const seen = v.wait ? ((await getIncident(incidentId).catch(() => undefined))?.timeline.length ?? 0) : 0;
  const queueUrl = await queueUrlOf(s("stage"));
  if (!queueUrl) fail("no incidents queue: start the stack with npm start first (or give --stage)", 1);
  const { SQSClient, SendMessageCommand } = await import("@aws-sdk/client-sqs");
  const endpoint = process.env.SQS_ENDPOINT || undefined;
  const client = endpoint ? new SQSClient({ endpoint, region: process.env.AWS_REGION ?? "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } }) : new SQSClient({});
  await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }));
  console.error(`queued ${String(message.action ?? message.type)} for incident ${incidentId}`);

  if (!v.wait) return console.log(JSON.stringify({ incidentId }));
  const until = Date.now() + (int(s("wait-seconds")) ?? 300) * 1000;
  const settled = new Set(s("resolve") ? ["RESOLVED", "FAILED"] : ["MITIGATED", "RESOLVED", "FAILED"]);
  for (;;) {
    const incident = await getIncident(incidentId).catch(() => undefined);
    if (incident && settled.has(incident.status) && incident.timeline.length > seen) {
      console.log(JSON.stringify({ incidentId, status: incident.status, ...(incident.failure ? { failure: incident.failure } : {}) }));
      if (incident.status === "FAILED") process.exit(4);
      return;
    }
    if (Date.now() > until) fail(`incident ${incidentId} is ${incident?.status ?? "not opened yet"} after the wait`, 1);
    await new Promise((r) => setTimeout(r, 500));
  }
}

main().catch((error: Error) => {
  console.error(`incident failed: ${error.message}`);
  process.exit(1);
});
