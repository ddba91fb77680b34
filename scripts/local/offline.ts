import path from "node:path";
import { LOCAL_REGION } from "./config";

// serverless-offline: the HTTP API (and the SQS consumers, through serverless-offline-sqs) with
// the environment that points the handlers at the emulators.

export interface OfflinePorts {
  http: number;
  lambda: number;
  websocket: number;
}

/** serverless prints its error report ("Error:" ... "Environment: linux, node ..., framework ...")
 * and then hangs (its esbuild child lives on): this output fails the start at once. */
export const SERVERLESS_FATAL = /^(Error:\s*$|Environment: .*framework)/;

export const OFFLINE_TIMEOUT_MS = 90_000;

export function offlineLaunch(root: string, stage: string, host: string, ports: OfflinePorts) {
  return {
    command: process.execPath,
    args: [
      path.join(root, "node_modules", "serverless", "bin", "serverless.js"),
      "offline",
      "start",
      "--stage",
      stage,
      // Without it handlers get AWS_REGION = provider.region (the AWS default in serverless.yml).
      "--region",
      LOCAL_REGION,
      // serverless.yml reads these from env too; flags win over any later edit of that file.
      "--host",
      host,
      "--httpPort",
      String(ports.http),
      "--lambdaPort",
      String(ports.lambda),
      "--websocketPort",
      String(ports.websocket),
    ],
    cwd: root,
    fatalOutput: SERVERLESS_FATAL,
  };
}

/** Ready once /health answers 200: the handlers can be bundled and called. */
export async function offlineReady(apiUrl: string): Promise<boolean> {
  const res = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(5000) });
  await res.arrayBuffer();
  return res.status === 200;
}
