import { randomUUID } from "node:crypto";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { ttlAfter } from "#lib/data/keys";
import { nightlySteps } from "#lib/jobs/steps";
import { logger } from "#lib/logger";

/** One step of the nightly job; later features (credit, levels, points, complaints) register theirs here. */
export interface NightlyStep {
  name: string;
  run(): Promise<Record<string, number>>;
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
export async function runNightly(steps: NightlyStep[] = nightlySteps): Promise<NightlyRun> {
  const runId = randomUUID();
  const started = Date.now();
  const results: NightlyRun["steps"] = [];
  for (const step of steps) {
    try {
      results.push({ name: step.name, status: "OK", counts: await step.run() });
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
  await dynamodb.send(
    new PutCommand({
      TableName: tableName(),
      Item: { PK: "JOB#NIGHTLY", SK: `RUN#${run.startedAt}#${runId}`, type: "JOB_RUN", ...run, ttl: ttlAfter(90 * 24 * 3600) },
    }),
  );
  logger.info("nightly run finished", { runId, durationMs: run.durationMs, steps: results.map((s) => `${s.name}:${s.status}`) });
  return run;
}
