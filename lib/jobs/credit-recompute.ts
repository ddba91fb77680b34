import { randomUUID } from "node:crypto";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { queueUrls, sendMessages } from "#lib/clients/sqs";
import { type RecomputeBatch, snapshotOf, type UserSnapshot } from "#lib/credit/recompute";
import { CREDIT_DIRTY_SHARDS, creditDirtyShardKey } from "#lib/data/credit";
import { creditRecomputeRunKey, ENTITY, runTtl } from "#lib/data/job-run";
import { STATUS_SHARDS } from "#lib/data/keys";
import { queryAllShards } from "#lib/data/query";
import { usersByStatusPrefix } from "#lib/data/user";
import type { NightlyStep } from "#lib/jobs/nightly";
import { logger } from "#lib/logger";

// The nightly credit recompute: plan (who changed) and fan out over the recompute queue; the
// worker Lambdas (functions/recompute-credit → lib/credit/recompute.ts) do the scoring.

/** Users per queue message: one worker invocation reads them in 2 BatchGetItems per 50. */
export const USERS_PER_BATCH = 100;


/** Users whose inputs changed since their last score: the sparse GSI2 marker shards, never a table scan. */
export async function changedUsers(): Promise<Map<string, UserSnapshot>> {
  const users = new Map<string, UserSnapshot>();
  const items = await queryAllShards(CREDIT_DIRTY_SHARDS, (shard) => ({
    TableName: tableName(),
    IndexName: "GSI2",
    KeyConditionExpression: "GSI2PK = :pk",
    ExpressionAttributeValues: { ":pk": creditDirtyShardKey(shard) },
  }));
  for (const item of items) users.set(String(item.GSI2SK), snapshotOf(item));
  return users;
}

/** Every active user (the weekly decay pass), from the 16 GSI1 status shards. */
export async function activeUsers(): Promise<Map<string, UserSnapshot>> {
  const items = await queryAllShards(STATUS_SHARDS, (shard) => ({
    TableName: tableName(),
    IndexName: "GSI1",
    KeyConditionExpression: "GSI1PK = :pk",
    ExpressionAttributeValues: { ":pk": `${usersByStatusPrefix("ACTIVE")}#${shard}` },
    // The snapshot: what the score and the level rules read (GSI2 projects the same attributes).
    ProjectionExpression: "userId, #status, identityStatus, creditScore, creditTier, creditDirtyBy, #level, levelPin, emailVerified, phoneVerified",
    ExpressionAttributeNames: { "#status": "status", "#level": "level" },
  }));
  return new Map(items.map((item) => [String(item.userId), snapshotOf(item)]));
}

export interface Plan {
  runId: string;
  asOf: string;
  /** This planning pass of the run (a run taken over after its holder died plans again). */
  pass: string;
  batches: RecomputeBatch[];
  changedUsers: number;
  fullPassUsers: number;
}

export async function planRecompute(options: { full: boolean; asOf?: string; runId?: string }): Promise<Plan> {
  const runId = options.runId ?? randomUUID();
  const asOf = options.asOf ?? new Date().toISOString();
  const pass = randomUUID().slice(0, 8);
  const users = await changedUsers();
  const changedCount = users.size;
  if (options.full) for (const [userId, snapshot] of await activeUsers()) if (!users.has(userId)) users.set(userId, snapshot);
  const entries = [...users].map(([userId, snapshot]) => ({ userId, snapshot }));
  const batches: RecomputeBatch[] = [];
  for (let i = 0; i < entries.length; i += USERS_PER_BATCH) {
    batches.push({ runId, asOf, pass, batch: batches.length, users: entries.slice(i, i + USERS_PER_BATCH) });
  }
  return { runId, asOf, pass, batches, changedUsers: changedCount, fullPassUsers: options.full ? entries.length : 0 };
}

/** Weekly full pass (decay) on Sundays, Asia/Shanghai; CREDIT_FULL_RECOMPUTE=1 forces it. */
export const isFullPassDay = (now = new Date()) =>
  process.env.CREDIT_FULL_RECOMPUTE === "1" || new Date(now.getTime() + 8 * 3600 * 1000).getUTCDay() === 0;

/**
 * Plans (a pass of) the run and fans its batches out over the recompute queue, where worker Lambdas
 * pick them up (so the run scales past one Lambda's 15 minutes). The run item collects the
 * workers' totals; a run taken over after its holder died plans the users still marked again,
 * under the same run id and asOf, and its totals add to the same item.
 */
export async function startRecomputeRun(options: { full: boolean; runId?: string; asOf?: string }) {
  const started = Date.now();
  const plan = await planRecompute(options);
  const plannedUsers = plan.batches.reduce((n, b) => n + b.users.length, 0);
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: creditRecomputeRunKey(plan.runId),
      UpdateExpression:
        "SET entity = :entity, runId = :runId, asOf = :asOf, #full = :full, lastPass = :pass, #plannedPass = :batches, #ttl = if_not_exists(#ttl, :ttl) " +
        "ADD plannedUsers :users, plannedBatches :batches, changedUsers :changed, passes :one",
      ExpressionAttributeNames: { "#full": "full", "#plannedPass": `planned_${plan.pass}`, "#ttl": "ttl" },
      ExpressionAttributeValues: {
        ":entity": ENTITY.creditRecompute,
        ":runId": plan.runId,
        ":asOf": plan.asOf,
        ":full": options.full,
        ":pass": plan.pass,
        ":batches": plan.batches.length,
        ":users": plannedUsers,
        ":changed": plan.changedUsers,
        ":one": 1,
        ":ttl": runTtl(),
      },
    }),
  );
  await sendMessages(queueUrls().recompute, plan.batches);
  logger.info("credit recompute planned", { runId: plan.runId, pass: plan.pass, batches: plan.batches.length, changedUsers: plan.changedUsers, full: options.full, planMs: Date.now() - started });
  return plan;
}

export async function runTotals(runId: string) {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: creditRecomputeRunKey(runId), ConsistentRead: true }));
  return out.Item ?? {};
}

/** The nightly step: plan and fan out; when the caller can wait for the queue, also report the run's totals. */
export const creditRecomputeStep: NightlyStep = {
  name: "credit-recompute",
  async run({ runId, asOf, awaitQueue }) {
    const full = isFullPassDay(new Date(asOf));
    const plan = await startRecomputeRun({ full, runId, asOf });
    const counts: Record<string, number> = {
      changedUsers: plan.changedUsers,
      fullPass: full ? 1 : 0,
      plannedUsers: plan.batches.reduce((n, b) => n + b.users.length, 0),
      batches: plan.batches.length,
    };
    if (!awaitQueue) return counts; // the workers finish the run; its item collects their totals
    // This pass is done when each of its batches has recorded its marker (orphans of a dead pass
    // are worked off later, harmlessly: the same asOf gives the same history keys).
    await awaitQueue(queueUrls().recompute, async () => Number((await runTotals(plan.runId))[`done_${plan.pass}`] ?? 0) >= plan.batches.length);
    const totals = await runTotals(plan.runId);
    for (const key of ["recomputed", "changed", "levelsChanged", "skipped", "batchesDone", "failedAttempts"]) counts[key] = Number(totals[key] ?? 0);
    return counts;
  },
};
