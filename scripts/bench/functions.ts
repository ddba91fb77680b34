import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";

/** One function of the functions/*.yml files serverless.yml lists, with the source file its handler lives in. */
export interface FunctionDef {
  name: string;
  /** Absolute path of the handler's .ts file. */
  entry: string;
  /** The exported handler name ("handler" for functions/x/handler.handler). */
  exportName: string;
}

/**
 * Reads the function files serverless.yml lists under `functions:` (one per area), so a function
 * added there is benchmarked without touching the bench. The `handler:` value is
 * `<file without extension>.<export>`.
 */
export function readFunctions(projectRoot: string): FunctionDef[] {
  const serverless = fs.readFileSync(path.join(projectRoot, "serverless.yml"), "utf8");
  const files = [...serverless.matchAll(/\$\{file\(\.\/(functions\/[\w-]+\.yml)\)\}/g)].map((m) => path.join(projectRoot, m[1] as string));
  return files.flatMap((file) => {
    const doc = (parse(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, { handler?: unknown }>;
    return Object.entries(doc).map(([name, fn]) => {
      if (typeof fn?.handler !== "string") throw new Error(`${file}: function ${name} has no handler`);
      const dot = fn.handler.lastIndexOf(".");
      const entry = path.join(projectRoot, `${fn.handler.slice(0, dot)}.ts`);
      if (!fs.existsSync(entry)) throw new Error(`${file}: handler of ${name} not found at ${entry}`);
      return { name, entry, exportName: fn.handler.slice(dot + 1) };
    });
  });
}
