import { readRunningStackEnv } from "#lib/local/stack";

/**
 * Points this process at a stage: the running local stack (its env file from `npm start`) or, with
 * `--stage <name>` other than local, the AWS stage described by the caller's environment
 * (TABLE_NAME, USER_POOL_ID, USER_POOL_CLIENT_ID, ENCRYPTED_KEYS, AWS credentials; see README).
 */
export function useStage(stage: string | undefined): void {
  if (!stage || stage === "local") {
    Object.assign(process.env, readRunningStackEnv());
    return;
  }
  process.env.STAGE = stage;
  for (const name of ["TABLE_NAME", "USER_POOL_ID", "USER_POOL_CLIENT_ID", "ENCRYPTED_KEYS"]) {
    if (!process.env[name]) throw new Error(`${name} must be set to run against stage ${stage} (see README: Operating)`);
  }
}
