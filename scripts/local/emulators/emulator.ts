import path from "node:path";
import type { CreatedResources, ServerlessConfig } from "../config";

// What the stack needs to know about an emulator: how to start it, when it is ready, and which of
// serverless.yml's resources it holds. The supervisor starts, restarts and controls it from this.

export type EmulatorName = "dynamodb" | "cognito" | "ses" | "s3" | "sqs" | "sms";

export interface EmulatorContext {
  /** The project (its node_modules hold the emulators). */
  root: string;
  /** The stack's data dir: each emulator keeps its files in a folder of it. */
  dataDir: string;
  host: string;
  port: number;
  /** http://host:port */
  url: string;
  /** true: data survives restarts (npm start); false: in memory where possible (tests). */
  persistent: boolean;
}

export interface Launch {
  command: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
}

export interface Emulator {
  name: EmulatorName;
  /** Checks what it needs, makes its data folder and says how to start it (the same on every restart). */
  launch(ctx: EmulatorContext): Launch;
  /** True once it serves requests. */
  ready(ctx: EmulatorContext): Promise<boolean>;
  /** Creates its share of serverless.yml's resources; idempotent (it runs again after a restart). */
  createResources?(config: ServerlessConfig, ctx: EmulatorContext): Promise<CreatedResources>;
}

export const nodeModule = (ctx: EmulatorContext, rel: string) => path.join(ctx.root, "node_modules", rel);
