import middy from "@middy/core";
import { LeaseHeld } from "#lib/jobs/lease";
import { runNightly } from "#lib/jobs/nightly";
import { nightlySteps } from "#lib/jobs/steps";
import { logger, withLogContext } from "#lib/logger";

// Scheduled at 02:00 Asia/Shanghai (serverless.yml); `npm run nightly` runs the same runNightly().
// A run that finds another holding the lease stops at once (no error: a retry would not help and
// would only alarm); a failed step fails the invocation, which alarms.
export const handler = middy(async () => {
  try {
    const run = await runNightly(nightlySteps);
    if (run.status === "FAILED") throw new Error(`nightly run ${run.runId} had failed steps`);
    return run;
  } catch (error) {
    if (!(error instanceof LeaseHeld)) throw error;
    logger.warn("nightly run refused: another holds the lease", { runId: error.runId, startedAt: error.startedAt, until: new Date(error.until).toISOString() });
    return { refused: true, heldBy: error.runId };
  }
}).use(withLogContext());
