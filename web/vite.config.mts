import fs from "node:fs";
import path from "node:path";
import { brotliDecompressSync } from "node:zlib";
import { defineConfig, type Plugin } from "vite";

const here = path.dirname(new URL(import.meta.url).pathname);

/** The breach list the server checks passwords against, as a static file for the strength meter. */
function commonPasswords(): Plugin {
  return {
    name: "common-passwords",
    generateBundle() {
      const source = fs.readFileSync(path.join(here, "..", "lib", "identity", "common-passwords.ts"), "utf8");
      const base64 = /"([A-Za-z0-9+/=]+)"/.exec(source)?.[1];
      if (!base64) throw new Error("common-passwords.ts: no list found");
      this.emitFile({ type: "asset", fileName: "common-passwords.txt", source: brotliDecompressSync(Buffer.from(base64, "base64")).toString("utf8") });
    },
  };
}

// The web app: Preact pages built to web/dist, served by `npm start` (scripts/local/web.ts) at the
// API's origin and on AWS from S3 behind CloudFront. JSX compiles to Preact's automatic runtime.
export default defineConfig({
  root: here,
  plugins: [commonPasswords()],
  base: "/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Each console section is its own chunk: the first page carries only what it shows.
    chunkSizeWarningLimit: 150,
    reportCompressedSize: false,
  },
  logLevel: "warn",
});
