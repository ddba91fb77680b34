import { type Emulator, nodeModule } from "./emulator";

// aws-ses-v2-local: keeps sent mail in memory for GET /store. serverless.yml declares nothing for
// it (SES identities are an AWS concern), so there is nothing to create, not even after a restart.

export const ses: Emulator = {
  name: "ses",
  launch: (ctx) => ({
    command: process.execPath,
    args: [nodeModule(ctx, "aws-ses-v2-local/dist/cli.js"), "--host", ctx.host, "--port", String(ctx.port)],
    cwd: ctx.dataDir,
  }),
  ready: async (ctx) => {
    const res = await fetch(`${ctx.url}/store`, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  },
};
