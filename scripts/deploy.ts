import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { PROJECT_ROOT } from "#scripts/local/data-dir";
import { buildWebApp } from "#scripts/local/web-build";
import { uploadSite } from "#scripts/web-upload";

// `npm run deploy [-- --stage prod --region ...]`: `serverless deploy` with the arguments given,
// then the web app built against the deployed API (VITE_API_URL) and uploaded to the stack's web
// bucket behind CloudFront. Needs AWS credentials in the environment, as serverless does.

const args = process.argv.slice(2);
const cli = path.join(PROJECT_ROOT, "node_modules", "serverless", "bin", "serverless.js");
const env = { ...process.env, SLS_TELEMETRY_DISABLED: "1", SLS_NOTIFICATIONS_MODE: "off" };

const deployed = spawnSync(process.execPath, [cli, "deploy", ...args], { cwd: PROJECT_ROOT, stdio: "inherit", env });
if (deployed.status !== 0) process.exit(deployed.status ?? 1);

// The stack's outputs, as `serverless info --verbose` prints them ("  Name: value").
const info = execFileSync(process.execPath, [cli, "info", "--verbose", ...args], { cwd: PROJECT_ROOT, env, encoding: "utf8" });
const output = (name: string) => {
  const value = new RegExp(`^\\s*${name}: (\\S+)`, "m").exec(info)?.[1];
  if (!value) throw new Error(`serverless info shows no ${name} output`);
  return value;
};
const region = /^region: (\S+)/m.exec(info)?.[1];

async function main() {
  process.env.VITE_API_URL = output("HttpApiUrl");
  await buildWebApp(PROJECT_ROOT);
  const client = new S3Client(region ? { region } : {});
  const { uploaded, removed } = await uploadSite(client, output("WebBucketName"), path.join(PROJECT_ROOT, "web", "dist"));
  console.log(`web app: ${uploaded.length} files uploaded, ${removed.length} old ones removed; open ${output("WebUrl")}`);
  console.log("Add that address (or the app's own domain) to the corsOrigins/corsOriginList params if it is not there yet.");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
