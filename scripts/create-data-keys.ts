// npm run create-data-keys -- --stage prod [--region ap-southeast-1]
// Once per AWS stage, after the first deploy: generates the two 256-bit data keys (PII encryption,
// lookup HMAC) and stores them as an SSM SecureString encrypted with the stack's KMS key. It refuses
// to overwrite existing keys: losing them makes every stored PII field unreadable.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";

async function main() {
  const { values } = parseArgs({ options: { stage: { type: "string" }, region: { type: "string" }, "kms-key": { type: "string" } } });
  const stage = values.stage;
  const keyId = values["kms-key"];
  if (!stage || stage === "local" || !keyId) {
    console.error("usage: npm run create-data-keys -- --stage <stage> --kms-key <PiiKeyArn output of the stack> [--region R]");
    process.exit(2);
  }
  const ssm = new SSMClient({ region: values.region ?? process.env.AWS_REGION ?? "ap-southeast-1" });
  const name = `/sharing-users/${stage}/data-keys`;
  const value = JSON.stringify({ pii: randomBytes(32).toString("base64"), hmac: randomBytes(32).toString("base64") });
  await ssm.send(
    new PutParameterCommand({ Name: name, Type: "SecureString", KeyId: keyId, Value: value, Overwrite: false, Tier: "Standard" }),
  );
  console.log(`stored data keys in ${name} (SecureString, KMS key ${keyId})`);
}

main().catch((error: Error) => {
  console.error(`create-data-keys failed: ${error.name}: ${error.message}`);
  process.exit(1);
});
