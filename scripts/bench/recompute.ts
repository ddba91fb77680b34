// Nightly recompute throughput on the local stack: 10,000 users with events, planned from the
// change markers, fanned out over the local SQS queue and drained by the worker code, against the
// raw rate of the one write per user it cannot avoid (UpdateItem of the user item, same
// concurrency). Target: recompute ≥ 70 % of raw.
import fs from "node:fs";
import path from "node:path";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { PROJECT_ROOT } from "#scripts/local/stack";

const USERS = 10_000;
/** Worker lanes × user writes per lane, as drainRecomputeQueue runs them. */
const CONCURRENCY = 4 * 16;
const RESULTS_FILE = path.join(PROJECT_ROOT, "bench-results", "recompute.json");

export interface RecomputeBenchResult {
  users: number;
  concurrency: number;
  recomputeUsersPerSecond: number;
  rawWritesPerSecond: number;
  ratio: number;
  target: number;
}

export async function benchRecompute(log: (line: string) => void): Promise<RecomputeBenchResult> {
  const { dynamodb, tableName } = await import("#lib/clients/dynamodb");
  const { creditCountersKey, creditDirtyIndex, ENTITY } = await import("#lib/data/credit");
  const { toUserItem, userKey } = await import("#lib/data/user");
  const { batchWrite } = await import("#lib/data/batch");
  const { bucketAttribute } = await import("#lib/credit/counters");
  const { startRecomputeRun, runTotals } = await import("#lib/jobs/credit-recompute");
  const { forEachLimited, parseRecomputeBatch, recomputeBatch } = await import("#lib/credit/recompute");
  const { queueUrls } = await import("#lib/clients/sqs");
  const { drainQueue } = await import("../queue-drain");
  const table = tableName();
  const now = new Date();
  const month = now.toISOString().slice(0, 7);
  const userIds = Array.from({ length: USERS }, (_, i) => `bench-credit-${String(i).padStart(5, "0")}`);

  log(`recompute: seeding ${USERS} users with counters and change markers`);
  const items = userIds.flatMap((userId, i) => [
    {
      ...toUserItem({
        userId,
        username: userId,
        status: "ACTIVE",
        level: "NEWBIE",
        identityStatus: i % 3 === 0 ? "APPROVED" : "NONE",
        creditScore: 600,
        creditTier: "FAIR",
        points: 0,
        consent: { privacyPolicyVersion: "bench", at: now.toISOString() },
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      }),
      ...creditDirtyIndex(userId),
      creditDirtyBy: `seed-${i}`,
    },
    {
      ...creditCountersKey(userId),
      entity: ENTITY.counters,
      version: 3,
      [bucketAttribute("COMPLETED", month)]: 1 + (i % 7),
      [bucketAttribute("ACTIVE_DAYS", month)]: 1 + (i % 11),
      [bucketAttribute("VIOLATION_POINTS", month)]: i % 13 === 0 ? 2 : 0,
    },
  ]);
  for (let i = 0; i < items.length; i += 200) await batchWrite(items.slice(i, i + 200).map((Item) => ({ PutRequest: { Item } })));

  const rawWrite = (userId: string, score: number) =>
    dynamodb.send(
      new UpdateCommand({
        TableName: table,
        Key: userKey(userId),
        UpdateExpression: "SET creditScore = :s, creditTier = :t, creditComputedAt = :at",
        ConditionExpression: "attribute_exists(PK)",
        ExpressionAttributeValues: { ":s": score, ":t": "FAIR", ":at": now.toISOString() },
      }),
    );
  // Warm the JVM first so neither side pays for it; both restore score 600 so the recompute still changes every user.
  await forEachLimited(userIds.slice(0, 2000), CONCURRENCY, (id) => rawWrite(id, 600).then(() => undefined));

  log(`recompute: raw baseline, ${USERS} UpdateItems at concurrency ${CONCURRENCY}`);
  let started = performance.now();
  await forEachLimited(userIds, CONCURRENCY, (id) => rawWrite(id, 600).then(() => undefined));
  const rawSeconds = (performance.now() - started) / 1000;

  log("recompute: plan (GSI2 markers) → SQS → workers");
  started = performance.now();
  const plan = await startRecomputeRun({ full: false });
  // Like 8 concurrent worker Lambdas with 8 write lanes each: the same drain `npm run nightly` uses locally.
  await drainQueue(
    queueUrls().recompute,
    async (body) => void (await recomputeBatch(parseRecomputeBatch(body), { lanes: 8 })),
    async () => Number((await runTotals(plan.runId))[`done_${plan.pass}`] ?? 0) >= plan.batches.length,
  );
  const recomputeSeconds = (performance.now() - started) / 1000;
  const totals = await runTotals(plan.runId);
  if (Number(totals.recomputed) < USERS || Number(totals.failedAttempts ?? 0) > 0) {
    throw new Error(`recompute bench: expected ${USERS} users recomputed, got ${JSON.stringify(totals)}`);
  }

  const result: RecomputeBenchResult = {
    users: USERS,
    concurrency: CONCURRENCY,
    recomputeUsersPerSecond: Math.round(USERS / recomputeSeconds),
    rawWritesPerSecond: Math.round(USERS / rawSeconds),
    ratio: Math.round((rawSeconds / recomputeSeconds) * 1000) / 1000,
    target: 0.7,
  };
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(result, null, 2)}\n`);
  log(`recompute: ${result.recomputeUsersPerSecond} users/s vs raw ${result.rawWritesPerSecond} writes/s (${Number(totals.changed)} changed, ${plan.batches.length} batches)`);
  return result;
}

export function formatRecompute(r: RecomputeBenchResult): string[] {
  return [
    `Credit recompute (${r.users} users, concurrency ${r.concurrency}):`,
    `  recompute  ${String(r.recomputeUsersPerSecond).padStart(6)} users/s`,
    `  raw write  ${String(r.rawWritesPerSecond).padStart(6)} users/s (UpdateItem of the user item)`,
    `  ratio      ${(r.ratio * 100).toFixed(0)} % (target ≥ ${r.target * 100} %)  ${r.ratio >= r.target ? "PASS" : "MISSED"}`,
  ];
}
