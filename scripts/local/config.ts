import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

// serverless.yml as Serverless itself resolves it (`serverless print`): every variable source it
// knows works, so the emulators get exactly the resources a deployment would. CloudFormation
// intrinsics (Ref, Fn::GetAtt) stay in the output; each emulator module wires up the few it meets.

export const LOCAL_REGION = "us-east-1";
export const LOCAL_ACCOUNT_ID = "000000000000";

export type Props = Record<string, unknown>;
export interface CfnResource {
  Type: string;
  Properties?: Props;
}

export interface ServerlessConfig {
  service: string;
  stage: string;
  resources: Record<string, CfnResource>;
}

const run = promisify(execFile);

/** Runs `serverless print` for the stage (≈ 3 s) and keeps what the local stack needs. */
export async function printServerlessConfig(root: string, stage: string): Promise<ServerlessConfig> {
  const cli = path.join(root, "node_modules", "serverless", "bin", "serverless.js");
  // --region: the region serverless-offline runs with, in case a resource name uses it.
  const args = [cli, "print", "--stage", stage, "--region", LOCAL_REGION, "--format", "json"];
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, args, {
      cwd: root,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: "1", SLS_NOTIFICATIONS_MODE: "off", FORCE_COLOR: "0", NO_COLOR: "1" },
      maxBuffer: 32 * 1024 * 1024,
      timeout: 90_000,
    }));
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`local stack: \`serverless print --stage ${stage}\` failed: ${(stderr || message).trim()}`);
  }
  // stderr carries warnings (Serverless v3 does not know nodejs22.x); stdout is the JSON alone.
  const doc = JSON.parse(stdout.slice(stdout.indexOf("{"))) as Props;
  const service = typeof doc.service === "string" ? doc.service : String((doc.service as Props | undefined)?.name ?? "");
  if (!service) throw new Error("local stack: serverless.yml has no service name");
  const resources = ((doc.resources as Props | undefined)?.Resources ?? {}) as Record<string, CfnResource>;
  return { service, stage, resources };
}

/** The resources of one CloudFormation type, as [logicalId, resource]. */
export const byType = (config: ServerlessConfig, type: string) =>
  Object.entries(config.resources).filter(([, r]) => r?.Type === type) as Array<[string, CfnResource]>;

/** FooBarQueue -> FOO_BAR_QUEUE: how logical ids become env names. */
export function constantCase(logicalId: string): string {
  return logicalId
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toUpperCase();
}

export const isIntrinsic = (v: unknown) =>
  !!v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).some((k) => k === "Ref" || k.startsWith("Fn::"));

/** Drops CloudFormation references (Ref, Fn::GetAtt...): on the emulators we wire those up ourselves. */
export function withoutIntrinsics(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => !isIntrinsic(v)));
}

export const errorName = (error: unknown) => (error as { name?: string })?.name ?? "";

/** What an emulator's resources give the stack. */
export interface CreatedResources {
  /** Env entries: TABLE_NAME, DOCUMENTS_BUCKET, USER_POOL_ID, USER_POOL_CLIENT_ID, <QUEUE>_URL... */
  env: Record<string, string>;
  /** What was created (vs. found), for the start-up log. */
  created: string[];
}

/** SDK client settings shared by the emulators (credentials must be alphanumeric for DynamoDB Local). */
export const LOCAL_CLIENT = {
  region: LOCAL_REGION,
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
  maxAttempts: 2,
};
