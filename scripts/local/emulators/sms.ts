import fs from "node:fs";
import path from "node:path";
import type { Emulator } from "./emulator";

// The SMS sink (sms-sink.mjs): SNS Publish in, a JSON-lines file out (<data>/sms.jsonl, kept
// across restarts). Nothing of serverless.yml lives here.

export const smsFile = (dataDir: string) => path.join(dataDir, "sms.jsonl");

export const sms: Emulator = {
  name: "sms",
  launch: (ctx) => {
    const file = smsFile(ctx.dataDir);
    if (!fs.existsSync(file)) fs.writeFileSync(file, "");
    return {
      command: process.execPath,
      args: [path.join(ctx.root, "scripts", "local", "emulators", "sms-sink.mjs")],
      cwd: ctx.dataDir,
      env: { HOST: ctx.host, PORT: String(ctx.port), SMS_FILE: file },
    };
  },
  ready: async (ctx) => (await fetch(ctx.url, { signal: AbortSignal.timeout(2000) })).ok,
};
