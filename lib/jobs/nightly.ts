import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { ENTITY, nightlyRunKey, runTtl } from "#lib/data/job-run";
import { acquireLease, type Lease, LeaseLost, leaseSeconds, releaseLease, renewLease } from "#lib/jobs/lease";
import { logger } from "#lib/logger";

/** What a step may use besides its own code. */
export interface StepContext {
  runId: string;
  /** The instant the run's work is for; the same when a run is taken over after its holder died. */
  asOf: string;
  /**
   * Waits until work a step fanned out over a queue is done (`done` says when). Absent in the
   * Lambda (workers finish on their own); `npm run nightly` passes one so it returns when the run
   * is finished.
   */
  awaitQueue?: (queueUrl: string, done: () => Promise<boolean>) => Promise<void>;
}

/** One step of the nightly job; each feature registers its own in lib/jobs/steps.ts. Steps must be idempotent. */
export interface NightlyStep {
  name: string;
  run(context: StepContext): Promise<Record<string, number>>;
}

type StepResult = { name: string; status: "OK" | "FAILED"; counts: Record<string, number>; error?: string; finishedAt: string };

export interface NightlyRun {
  runId: string;
  asOf: string;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  status: "RUNNING" | "DONE" | "FAILED";
  /** True when this run finished one whose process died. */
  resumed: boolean;
  steps: StepResult[];
}

/**
 * Runs every step under the job's lease (a second run refuses with LeaseHeld; a dead run is taken
 * over and its finished steps are not run again), a failing step not stopping the others. The run
 * record (PK JOB#NIGHTLY) is written at the start and after each step, so ops see a run that is
 * going on or died. Used by the schedule and by `npm run nightly` alike. `asOf` (the test clock,
 * `npm run nightly -- --as-of <ISO>` on the local stage) is the instant every step works for.
 */
export async function runNightly(steps: NightlyStep[], options: Pick<StepContext, "awaitQueue"> & { asOf?: string } = {}): Promise<NightlyRun> {
  const { asOf, ...stepOptions } = options;
  const lease = await acquireLease(Date.now(), asOf);
  const started = Date.now();
  const key = nightlyRunKey(lease.startedAt, lease.runId);
  const earlier = lease.takenOver ? ((await dynamodb.send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item as NightlyRun | undefined) : undefined;
  const run: NightlyRun = { runId: lease.runId, asOf: lease.asOf, startedAt: lease.startedAt, status: "RUNNING", resumed: lease.takenOver, steps: earlier?.steps ?? [] };
  const save = () => dynamodb.send(new PutCommand({ TableName: tableName(), Item: { ...key, entity: ENTITY.nightly, ...run, ttl: runTtl() } }));
  await save();
  const heartbeat = keepRenewing(lease);
  try {
    for (const step of steps) {
      if (run.steps.some((s) => s.name === step.name && s.status === "OK")) continue; // done before its holder died
      heartbeat.check();
      const result = await runStep(step, { runId: lease.runId, asOf: lease.asOf, ...stepOptions });
      run.steps = [...run.steps.filter((s) => s.name !== step.name), result];
      await save();
    }
    heartbeat.check();
    run.status = run.steps.some((s) => s.status === "FAILED") ? "FAILED" : "DONE";
    run.finishedAt = new Date().toISOString();
    run.durationMs = Date.now() - started;
    await save();
    await releaseLease(lease);
  } finally {
    heartbeat.stop();
  }
  logger.info("nightly run finished", { runId: run.runId, resumed: run.resumed, durationMs: run.durationMs, steps: run.steps.map((s) => `${s.name}:${s.status}`) });
  return run;
}

async function runStep(step: NightlyStep, context: StepContext): Promise<StepResult> {
  try {
    return { name: step.name, status: "OK", counts: await step.run(context), finishedAt: new Date().toISOString() };
  } catch (error) {
    if (error instanceof LeaseLost) throw error;
    logger.error("nightly step failed", { runId: context.runId, step: step.name, errorName: (error as Error).name });
    return { name: step.name, status: "FAILED", counts: {}, error: (error as Error).message.slice(0, 500), finishedAt: new Date().toISOString() };
  }
}

/** Renews the lease every third of its life; check() throws once it was lost, so the run stops between steps. */
function keepRenewing(lease: Lease) {
  let lost: Error | undefined;
  const timer = setInterval(() => {
    renewLease(lease).catch((error: Error) => {
      if (error instanceof LeaseLost) lost = error;
      else logger.warn("nightly lease not renewed; retrying", { runId: lease.runId, errorName: error.name });
    });
  }, (leaseSeconds() * 1000) / 3);
  return {
    check: () => {
      if (lost) throw lost;
    },
    stop: () => clearInterval(timer),
  };
}
