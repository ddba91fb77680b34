// npm run create-staff -- --username U --email E --password P --groups admin,reviewer [--stage S]
import { parseArgs } from "node:util";
import { useStage } from "./env";

async function main() {
  const { values } = parseArgs({
    options: {
      username: { type: "string" },
      email: { type: "string" },
      password: { type: "string" },
      groups: { type: "string" },
      stage: { type: "string" },
    },
  });
  const { username, email, password, groups } = values;
  if (!username || !email || !password || !groups) {
    console.error("usage: npm run create-staff -- --username U --email E --password P --groups admin,reviewer [--stage S]");
    process.exit(2);
  }
  await useStage(values.stage);
  // Imported after the environment is set: the adapters read their configuration once.
  const { createStaffAccount } = await import("#lib/identity/staff");
  const created = await createStaffAccount({ username, email, password, groups: groups.split(",").map((g) => g.trim()) });
  console.log(`created staff account ${created.username} (${created.userId}) in groups ${created.groups.join(", ")}`);
}

main().catch((error: Error & { detail?: string }) => {
  console.error(`create-staff failed: ${error.detail ?? error.message}`);
  process.exit(1);
});
