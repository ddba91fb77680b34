import { randomUUID } from "node:crypto";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { ENTITY, nightlyRunKey, runTtl } from "#lib/data/job-run";
import { logger } from "#lib/logger";

/** What a step may use besides its own code. */
export interface StepContext {
  runId: string;
  /**
   * Waits until the work a step fanned out over a queue is done. Absent in the Lambda (workers
   * finish on their own); `npm run nightly` passes one so it returns when the run is finished.
   */
  awaitQueue?: (queueUrl: string) => Promise<void>;
}

/** One step of the nightly job; each feature registers its own in lib/jobs/steps.ts. */
export interface NightlyStep {
  name: string;
  run(context: StepContext): Promise<Record<string, number>>;
}

export interface NightlyRun {
  runId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  steps: { name: string; status: "OK" | "FAILED"; counts: Record<string, number>; error?: string }[];
}

/**
 * Runs every step (a failing step does not stop the others) and records the run (PK JOB#NIGHTLY)
 * so ops can see what happened. Used by the schedule and by `npm run nightly` alike.
 */
export async function runNightly(steps: NightlyStep[], options: Omit<StepContext, "runId"> = {}): Promise<NightlyRun> {
  const runId = randomUUID();
  const started = Date.now();
  const results: NightlyRun["steps"] = [];
  for (const step of steps) {
    try {
      results.push({ name: step.name, status: "OK", counts: await step.run({ runId, ...options }) });
    } catch (error) {
      logger.error("nightly step failed", { runId, step: step.name, errorName: (error as Error).name });
      results.push({ name: step.name, status: "FAILED", counts: {}, error: (error as Error).message.slice(0, 500) });
    }
  }
  const run: NightlyRun = {
    runId,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - started,
    steps: results,
  };
  await dynamodb.send(new PutCommand({ TableName: tableName(), Item: { ...nightlyRunKey(run.startedAt, runId), entity: ENTITY.nightly, ...run, ttl: runTtl() } }));
  logger.info("nightly run finished", { runId, durationMs: run.durationMs, steps: results.map((s) => `${s.name}:${s.status}`) });
  return run;
}
