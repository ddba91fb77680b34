// npm run rewards:verify [-- --stage S] [--user ID ...]: proves that every rewards balance equals
// the sum of its ledger entries (and is not negative). Prints each user that differs, then a
// summary as the last line (JSON); exits 1 if any differs. Read-only; safe beside live traffic
// (a balance that changes while it is checked is checked again).
import { parseArgs } from "node:util";
import { useStage } from "./env";

async function main() {
  const { values } = parseArgs({ options: { stage: { type: "string" }, user: { type: "string", multiple: true } } });
  await useStage(values.stage);
  // Imported after the environment is set: the adapters read their configuration once.
  const { verifyBalances } = await import("#lib/rewards/verify");
  const result = await verifyBalances(values.user ? { userIds: values.user } : {});
  for (const m of result.mismatches) console.error(`user ${m.userId}: balance ${m.balance}, ledger sum ${m.ledger} (off by ${m.balance - m.ledger})`);
  console.log(JSON.stringify({ accounts: result.accounts, mismatches: result.mismatches.length, users: result.mismatches.map((m) => m.userId) }));
  if (result.mismatches.length > 0) process.exit(1);
}

main().catch((error: Error) => {
  console.error(`rewards:verify failed: ${error.message}`);
  process.exit(2);
});
