// npm run nightly [-- --stage S]: runs the nightly job now, through the same code as the schedule.
import { parseArgs } from "node:util";
import { useStage } from "./env";

async function main() {
  const { values } = parseArgs({ options: { stage: { type: "string" } } });
  await useStage(values.stage);
  const { runNightly } = await import("#lib/jobs/nightly");
  const run = await runNightly();
  console.log(JSON.stringify(run)); // last line: the run record, for scripts and tests
  if (run.steps.some((s) => s.status === "FAILED")) process.exit(1);
}

main().catch((error: Error) => {
  console.error(`nightly failed: ${error.message}`);
  process.exit(1);
});
