import { randomUUID } from "node:crypto";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { OutboxStreamConsumer } from "./stream";

// DATA_BREACH at volume on the local stack: USERS active users with an e-mail, registered in a
// window of their own, written straight into the table; an incident over that window put on the
// real incidents queue and worked off by the incident-response handler (the bundle as deployed),
// invocation after invocation through its own CONTINUE messages, while the outbox sender delivers
// the notices from the table stream. Reported: how long from the message to MITIGATED (every
// notice delivered and its evidence on record) and the notice rate. The pace is the local stage's
// (INCIDENT_NOTICE_RATE, set by the bench); on AWS it is what SES allows.

export const BREACH_USERS = 2000;

/** The local stage's incident settings (serverless.yml params.local), set in the bench's env. */
export const BREACH_ENV = {
  INCIDENT_NOTICE_RATE: "100",
  INCIDENT_SLICE_SECONDS: "5",
  INCIDENT_LEASE_SECONDS: "8",
  INCIDENT_RETRY_BASE_SECONDS: "2",
  INCIDENT_CONFIRM_DELAY_SECONDS: "2",
};

export interface BreachResult {
  users: number;
  noticeRateSetting: number;
  seedSeconds: number;
  /** Message on the queue → MITIGATED (selected, notified, every notice delivered and confirmed). */
  mitigatedSeconds: number;
  /** The notify step alone: notices queued per second. */
  noticesPerSecond: number;
  /** Every notice delivered per second of the whole incident. */
  deliveredPerSecond: number;
  invocations: number;
  counts: { selected: number; queued: number; delivered: number };
}

export type SqsLambda = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export async function benchBreach(respond: SqsLambda, consumer: OutboxStreamConsumer, log: (line: string) => void): Promise<BreachResult> {
  const { config } = await import("#lib/config");
  const { encryptField } = await import("#lib/crypto/fields");
  const { batchWrite } = await import("#lib/data/batch");
  const { getIncident } = await import("#lib/data/incident");
  const { toUserItem } = await import("#lib/data/user");
  const { enqueue } = await import("#lib/incidents/queue");
  const { forEachLimited } = await import("#lib/credit/recompute");
  const { drainQueue } = await import("../queue-drain");

  // A window nobody else registers in: the bench's table is its own, but the scenarios share it.
  const from = new Date(Date.UTC(2003, 0, 1));
  const run = randomUUID().slice(0, 8);
  log(`breach: seeding ${BREACH_USERS} users with an e-mail`);
  const seeding = performance.now();
  const items: Record<string, unknown>[] = [];
  await forEachLimited(
    Array.from({ length: BREACH_USERS }, (_, i) => i),
    16,
    async (i) => {
      const userId = `bench-breach-${run}-${String(i).padStart(5, "0")}`;
      const at = new Date(from.getTime() + i).toISOString();
      items.push({
        ...toUserItem({
          userId,
          username: userId,
          status: "ACTIVE",
          level: "NEWBIE",
          identityStatus: "NONE",
          creditScore: 600,
          creditTier: "FAIR",
          points: 0,
          consent: { privacyPolicyVersion: "bench", at },
          createdAt: at,
          updatedAt: at,
        }),
        emailEnc: await encryptField(`${userId}@example.com`, `${userId}:email`),
        emailVerified: true,
      });
    },
  );
  await batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
  const seedSeconds = (performance.now() - seeding) / 1000;

  const incidentId = randomUUID();
  const started = performance.now();
  await enqueue({
    incidentId,
    type: "DATA_BREACH",
    severity: "HIGH",
    details: {
      summary: "Bench: a marketing list leaked",
      dataCategories: ["EMAIL", "NAME"],
      affected: { registeredAfter: from.toISOString(), registeredBefore: new Date(from.getTime() + BREACH_USERS).toISOString() },
    },
    requestedBy: "ops:bench",
  });
  log(`breach: incident ${incidentId} on the queue; the handler works it off while the outbox sender delivers`);

  let mitigated = false;
  let invocations = 0;
  const context = { getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
  const delivering = consumer.drain({ until: () => mitigated, timeoutMs: 15 * 60_000 });
  await drainQueue(
    config().incidentsQueueUrl,
    async (body) => {
      invocations++;
      const out = await respond({ Records: [{ messageId: randomUUID(), body }] } as unknown as SQSEvent, context);
      if (out.batchItemFailures.length > 0) throw new Error("incident message failed; left on the queue");
    },
    async () => {
      const incident = await getIncident(incidentId);
      if (incident?.status === "FAILED") throw new Error(`breach bench: the incident FAILED at ${JSON.stringify(incident.failure)}`);
      return (mitigated = incident?.status === "MITIGATED");
    },
    { workers: 2 },
  );
  mitigated = true;
  await delivering;
  const mitigatedSeconds = (performance.now() - started) / 1000;

  const incident = await getIncident(incidentId);
  const steps = incident?.steps ?? {};
  const notify = steps["notify-affected-users"];
  const counts = {
    selected: Number(steps["select-affected-users"]?.counts.selected ?? 0),
    queued: Number(notify?.counts.QUEUED ?? 0),
    delivered: Number(steps["confirm-deliveries"]?.counts.delivered ?? 0),
  };
  if (counts.selected !== BREACH_USERS || counts.queued !== BREACH_USERS || counts.delivered !== BREACH_USERS) {
    throw new Error(`breach bench: expected ${BREACH_USERS} users selected, notified and delivered, got ${JSON.stringify(counts)}`);
  }
  const notifySeconds = (Date.parse(notify?.finishedAt ?? "") - Date.parse(notify?.startedAt ?? "")) / 1000;
  const result: BreachResult = {
    users: BREACH_USERS,
    noticeRateSetting: config().incidents.noticeRatePerSecond,
    seedSeconds: round1(seedSeconds),
    mitigatedSeconds: round1(mitigatedSeconds),
    noticesPerSecond: round1(BREACH_USERS / notifySeconds),
    deliveredPerSecond: round1(BREACH_USERS / mitigatedSeconds),
    invocations,
    counts,
  };
  log(`breach: MITIGATED after ${result.mitigatedSeconds} s (${invocations} invocations); notices queued at ${result.noticesPerSecond}/s, all ${BREACH_USERS} delivered`);
  return result;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function formatBreach(r: BreachResult): string[] {
  return [
    `DATA_BREACH over ${r.users} users (incidents queue → incident-response bundle → outbox → SES emulator)`,
    `    message → MITIGATED (every notice delivered, evidence on record): ${r.mitigatedSeconds} s in ${r.invocations} invocations`,
    `    notices queued: ${r.noticesPerSecond}/s (pace INCIDENT_NOTICE_RATE ${r.noticeRateSetting}/s per instance); delivered end to end: ${r.deliveredPerSecond}/s`,
  ];
}
