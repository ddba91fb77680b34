import { readRunningStackEnv } from "#scripts/local/stack";

/**
 * Points this process at a stage: the running local stack (its env file from `npm start`) or, with
 * `--stage <name>` other than local, the AWS stage described by the caller's environment
 * (TABLE_NAME, USER_POOL_ID, USER_POOL_CLIENT_ID and AWS credentials; the data keys are read from SSM).
 */
export async function useStage(stage: string | undefined): Promise<void> {
  if (!stage || stage === "local") {
    // LOCAL_STACK_DIR: another stack's data dir (the tests point the commands at their own stack).
    Object.assign(process.env, readRunningStackEnv(process.env.LOCAL_STACK_DIR || undefined));
    return;
  }
  process.env.STAGE = stage;
  process.env.DATA_KEYS_PARAMETER ??= `/sharing-users/${stage}/data-keys`;
  for (const name of ["TABLE_NAME", "USER_POOL_ID", "USER_POOL_CLIENT_ID"]) {
    if (!process.env[name]) throw new Error(`${name} must be set to run against stage ${stage} (see README: Operating)`);
  }
  const parameter = process.env.DATA_KEYS_PARAMETER;
  const [{ SSMClient, GetParameterCommand }, { useDataKeysLoader }] = await Promise.all([
    import("@aws-sdk/client-ssm"),
    import("#lib/crypto/keys"),
  ]);
  useDataKeysLoader(async () => {
    const out = await new SSMClient({}).send(new GetParameterCommand({ Name: parameter, WithDecryption: true }));
    return JSON.parse(out.Parameter?.Value ?? "{}") as Record<string, string>;
  });
}
