// npm run outbox:redrive -- --user <userId> --message <messageId> [--message ...] [--stage S]
// Sends stuck messages again after a provider outage outlasted the stream's retries (see the
// README's "Dead letters"): each PENDING message is put again under a new id; its old item is
// marked REDRIVEN. Prints one line per message and exits 1 if any could not be redriven.
import { parseArgs } from "node:util";
import { useStage } from "./env";

async function main() {
  const { values } = parseArgs({ options: { user: { type: "string" }, message: { type: "string", multiple: true }, stage: { type: "string" } } });
  if (!values.user || !values.message?.length) {
    console.error("usage: npm run outbox:redrive -- --user <userId> --message <messageId> [--message ...] [--stage S]");
    process.exit(2);
  }
  await useStage(values.stage);
  const { redriveMessage } = await import("#lib/notify/redrive");
  let failed = 0;
  for (const messageId of values.message) {
    const { outcome, newMessageId } = await redriveMessage(values.user, messageId);
    console.log(`${messageId}: ${outcome}${newMessageId ? ` as ${newMessageId}` : ""}`);
    if (outcome !== "REDRIVEN") failed++;
  }
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((error: Error) => {
  console.error(`outbox:redrive failed: ${error.message}`);
  process.exit(2);
});
