// npm run nightly [-- --stage S] [--as-of ISO]: runs the nightly job now, through the same code as
// the schedule. --as-of (local stage only) is a test clock: every step works as if it were then.
import { parseArgs } from "node:util";
import { useStage } from "./env";

async function main() {
  const { values } = parseArgs({ options: { stage: { type: "string" }, "as-of": { type: "string" } } });
  await useStage(values.stage);
  const asOf = values["as-of"];
  if (asOf !== undefined && Number.isNaN(Date.parse(asOf))) {
    console.error("--as-of must be an ISO date-time");
    process.exit(2);
  }
  // Imported after the environment is set: the adapters read their configuration once.
  const [{ runNightly }, { LeaseHeld }, { nightlySteps }, { queueUrls }, { parseRecomputeBatch, recomputeBatch }, { drainQueue }, { config }] = await Promise.all([
    import("#lib/jobs/nightly"),
    import("#lib/jobs/lease"),
    import("#lib/jobs/steps"),
    import("#lib/clients/sqs"),
    import("#lib/credit/recompute"),
    import("./queue-drain"),
    import("#lib/config"),
  ]);
  // Locally the command works the fanned-out queues off itself and returns when the run is done
  // (failed users are counted on the run item, and the step fails). On AWS the workers do it.
  const workers: Record<string, (body: string) => Promise<void>> = {
    [queueUrls().recompute]: async (body) => {
      const outcome = await recomputeBatch(parseRecomputeBatch(body), { lanes: 8 });
      if (outcome.failedUserIds.length > 0) throw new Error(`${outcome.failedUserIds.length} user(s) failed`);
    },
  };
  const awaitQueue = async (url: string, done: () => Promise<boolean>) => {
    const work = workers[url];
    if (!work) throw new Error(`npm run nightly does not know how to work off ${url}`);
    await drainQueue(url, work, done);
  };
  let run;
  try {
    if (asOf !== undefined && !config().isLocal) throw new Error("--as-of is a test clock for the local stage only");
    run = await runNightly(nightlySteps, config().isLocal ? { awaitQueue, ...(asOf ? { asOf: new Date(asOf).toISOString() } : {}) } : {});
  } catch (error) {
    if (!(error instanceof LeaseHeld)) throw error;
    console.error(`nightly refused: ${error.message}`);
    process.exit(3);
  }
  console.log(JSON.stringify(run)); // last line: the run record, for scripts and tests
  if (run.steps.some((s) => s.status === "FAILED")) process.exit(1);
}

main().catch((error: Error) => {
  console.error(`nightly failed: ${error.message}`);
  process.exit(1);
});
