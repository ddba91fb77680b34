import fs from "node:fs";
import path from "node:path";
import { type BuildOptions, build, type Metafile } from "esbuild";
import type { FunctionDef } from "./functions";

// Builds each function the way serverless-esbuild does, with the options it derives from
// serverless.yml (see esbuild-options.ts), but into a temp dir: the project's .esbuild folder
// belongs to `npm start` / `npm test`.

export interface InputShare {
  /** Path relative to the project (node_modules/... for packages). */
  path: string;
  bytes: number;
}

export interface BundleResult {
  name: string;
  file: string;
  bytes: number;
  /** Every input's share of the minified output, biggest first. */
  inputs: InputShare[];
}

/**
 * One esbuild run with every function as an entry point: without code splitting each entry still
 * gets its own self-contained bundle (what serverless-esbuild produces per function), but the
 * shared sources are parsed once, which is several times faster on 2 cores.
 */
export async function buildAll(fns: FunctionDef[], options: BuildOptions, outDir: string, projectRoot: string): Promise<BundleResult[]> {
  const result = await build({
    ...options,
    entryPoints: fns.map((fn) => ({ in: fn.entry, out: fn.name })),
    outdir: outDir,
    absWorkingDir: projectRoot,
    metafile: true,
    logLevel: "error",
  });
  const { metafile } = result;
  if (!metafile) throw new Error("esbuild returned no metafile");
  return fns.map((fn) => {
    const file = path.join(outDir, `${fn.name}.js`);
    return { name: fn.name, file, bytes: fs.statSync(file).size, inputs: inputShares(metafile, file, projectRoot) };
  });
}

function inputShares(metafile: Metafile, outfile: string, projectRoot: string): InputShare[] {
  const key = path.relative(projectRoot, outfile);
  const output = metafile.outputs[key];
  if (!output) throw new Error(`esbuild metafile has no output ${key}`);
  return Object.entries(output.inputs)
    .map(([input, { bytesInOutput }]) => ({ path: input, bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
}

/**
 * Sums input shares by npm package (or "(project)" for our own code): single files of a bundled
 * SDK are small, so the package view says better what to cut.
 */
export function packageShares(inputs: InputShare[]): InputShare[] {
  const totals = new Map<string, number>();
  for (const input of inputs) {
    const name = packageOf(input.path);
    totals.set(name, (totals.get(name) ?? 0) + input.bytes);
  }
  return [...totals].map(([name, bytes]) => ({ path: name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

function packageOf(inputPath: string): string {
  const parts = inputPath.split("/");
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return "(project)";
  const first = parts[at + 1] ?? "";
  return first.startsWith("@") ? `${first}/${parts[at + 2] ?? ""}` : first;
}
