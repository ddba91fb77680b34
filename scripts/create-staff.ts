// npm run create-staff -- --username U --email E --password P --groups admin,reviewer [--mfa] [--stage S]
// --mfa enrols two-factor sign-in at creation and prints the TOTP secret and recovery codes once.
import { parseArgs } from "node:util";
import { useStage } from "./env";

async function main() {
  const { values } = parseArgs({
    options: {
      username: { type: "string" },
      email: { type: "string" },
      password: { type: "string" },
      groups: { type: "string" },
      mfa: { type: "boolean" },
      stage: { type: "string" },
    },
  });
  const { username, email, password, groups } = values;
  if (!username || !email || !password || !groups) {
    console.error("usage: npm run create-staff -- --username U --email E --password P --groups admin,reviewer [--mfa] [--stage S]");
    process.exit(2);
  }
  await useStage(values.stage);
  // Imported after the environment is set: the adapters read their configuration once.
  const { createStaffAccount } = await import("#lib/identity/staff");
  const created = await createStaffAccount({ username, email, password, groups: groups.split(",").map((g) => g.trim()), mfa: values.mfa ?? false });
  console.log(`created staff account ${created.username} (${created.userId}) in groups ${created.groups.join(", ")}`);
  if (created.mfa) {
    console.log(`two-factor sign-in is on. TOTP secret (add it to an authenticator app): ${created.mfa.secret}`);
    console.log(`otpauth URI: ${created.mfa.otpauthUri}`);
    console.log(`recovery codes (shown once): ${created.mfa.recoveryCodes.join(" ")}`);
  }
}

main().catch((error: Error & { detail?: string }) => {
  console.error(`create-staff failed: ${error.detail ?? error.message}`);
  process.exit(1);
});
