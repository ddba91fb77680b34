// npm run invoke -- -f register -p events/register.json
// `serverless invoke local` against the running local stack (its env comes from .local/stack.env.json).
import { spawnSync } from "node:child_process";
import { readRunningStackEnv } from "#scripts/local/stack";

const env = { ...process.env, ...readRunningStackEnv(process.env.LOCAL_STACK_DIR || undefined), ESBUILD_WORK_FOLDER: ".local/esbuild-invoke" };
const result = spawnSync(process.execPath, ["node_modules/serverless/bin/serverless.js", "invoke", "local", "--stage", "local", ...process.argv.slice(2)], {
  env,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
