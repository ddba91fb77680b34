import path from "node:path";

/**
 * Builds the web app with Vite (≈ 2 s) into `outDir` (default web/dist): `npm start` serves
 * web/dist; each test run builds into its own data dir, so runs side by side never share files.
 */
export async function buildWebApp(root: string, outDir = path.join(root, "web", "dist")): Promise<string> {
  const { build } = await import("vite");
  await build({ configFile: path.join(root, "web", "vite.config.mts"), logLevel: "warn", build: { outDir, emptyOutDir: true } });
  return outDir;
}
