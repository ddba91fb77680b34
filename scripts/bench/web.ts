import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { buildWebApp } from "#scripts/local/web-build";

// The web app's weight: the gzipped JavaScript and CSS the first page loads (index.html's own
// scripts and styles; target ≤ 150 KB of JS), and each lazily loaded chunk (account pages, console).

export interface WebSizes {
  buildSeconds: number;
  firstPageJsGzipKB: number;
  firstPageCssGzipKB: number;
  chunks: Array<{ file: string; gzipKB: number }>;
}

const gzipKB = (file: string) => Math.round((gzipSync(fs.readFileSync(file)).byteLength / 1024) * 10) / 10;

export async function measureWeb(root: string, outDir: string): Promise<WebSizes> {
  const began = performance.now();
  await buildWebApp(root, outDir);
  const buildSeconds = Math.round((performance.now() - began) / 100) / 10;
  const html = fs.readFileSync(path.join(outDir, "index.html"), "utf8");
  const linked = (ext: string) => [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1] as string).filter((f) => f.endsWith(ext));
  const sum = (files: string[]) => Math.round(files.reduce((kb, f) => kb + gzipKB(path.join(outDir, f)), 0) * 10) / 10;
  const first = new Set(linked(".js"));
  const chunks = fs
    .readdirSync(path.join(outDir, "assets"))
    .filter((f) => f.endsWith(".js") && !first.has(`assets/${f}`))
    .map((f) => ({ file: f, gzipKB: gzipKB(path.join(outDir, "assets", f)) }))
    .sort((a, b) => b.gzipKB - a.gzipKB);
  return { buildSeconds, firstPageJsGzipKB: sum([...first]), firstPageCssGzipKB: sum(linked(".css")), chunks };
}
