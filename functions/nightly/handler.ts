import middy from "@middy/core";
import { runNightly } from "#lib/jobs/nightly";
import { nightlySteps } from "#lib/jobs/steps";
import { withLogContext } from "#lib/logger";

// Scheduled at 02:00 Asia/Shanghai (serverless.yml); `npm run nightly` runs the same runNightly().
export const handler = middy(async () => {
  const run = await runNightly(nightlySteps);
  if (run.steps.some((s) => s.status === "FAILED")) throw new Error(`nightly run ${run.runId} had failed steps`);
  return run;
}).use(withLogContext());
