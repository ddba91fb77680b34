import fs from "node:fs";
import path from "node:path";
import type { BuildOptions } from "esbuild";
import { parse } from "yaml";

// The esbuild options serverless-esbuild (1.57) derives from serverless.yml's custom.esbuild, so
// the bench measures what `serverless package` ships and follows any change made there (an alias,
// a define, a different target) without being edited.

/** Keys serverless-esbuild consumes itself and strips before calling esbuild (its bundle.js). */
const PLUGIN_ONLY_KEYS = [
  "concurrency",
  "zipConcurrency",
  "exclude",
  "nativeZip",
  "packager",
  "packagePath",
  "watch",
  "keepOutputDirectory",
  "packagerOptions",
  "installExtraArgs",
  "outputFileExtension",
  "outputBuildFolder",
  "outputWorkFolder",
  "nodeExternals",
  "skipBuild",
  "skipRebuild",
  "skipBuildExcludeFns",
  "stripEntryResolveExtensions",
  "disposeContext",
];

type Yaml = Record<string, unknown>;

export function readEsbuildOptions(projectRoot: string): BuildOptions {
  const file = path.join(projectRoot, "serverless.yml");
  const doc = (parse(fs.readFileSync(file, "utf8"), { logLevel: "error" }) ?? {}) as Yaml;
  const custom = ((doc.custom as Yaml | undefined)?.esbuild ?? {}) as Yaml;
  if (custom.config !== undefined || custom.plugins !== undefined) {
    throw new Error(`${file}: custom.esbuild.config / plugins are not supported by the bench (see scripts/bench/esbuild-options.ts)`);
  }
  const runtime = String((doc.provider as Yaml | undefined)?.runtime ?? "nodejs20.x");
  // serverless-esbuild's defaults, under what custom.esbuild sets.
  const merged: Yaml = {
    bundle: true,
    platform: "node",
    target: runtime.replace(/^nodejs(\d+)\.x$/, "node$1"),
    exclude: ["aws-sdk"],
    external: [],
    ...custom,
  };
  const options: Yaml = {};
  for (const [key, value] of Object.entries(merged)) {
    if (PLUGIN_ONLY_KEYS.includes(key)) continue;
    if (JSON.stringify(value).includes("${")) {
      throw new Error(`${file}: custom.esbuild.${key} uses a serverless variable, which the bench cannot resolve`);
    }
    options[key] = value;
  }
  const exclude = strings(merged.exclude);
  options.external = [...strings(merged.external), ...(exclude.includes("*") ? [] : exclude)];
  return options as BuildOptions;
}

const strings = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === "string");
