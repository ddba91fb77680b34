// prestart/pretest: installs the dependencies when they are missing or older than package-lock.json,
// so a fresh clone needs only `npm start` and `npm test`. Runs before node_modules exists: Node's
// own modules only. Silent when there is nothing to do (CI runs npm ci first).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const lock = path.join(root, "package-lock.json");
// npm writes this after every install: its age is the age of the installed tree.
const installed = path.join(root, "node_modules", ".package-lock.json");

// System packages the stack and the tests need: Java (DynamoDB Local) for both commands, Chromium
// for the browser tests. Installed with apt-get where we may (root on Debian/Ubuntu), else named.
const onPath = (tool) => (process.env.PATH ?? "").split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, tool)));
const systemNeeds = [
  ["java", "default-jre-headless"],
  ...(process.env.npm_lifecycle_event === "pretest" && !process.env.CHROMIUM_PATH ? [["chromium", "chromium"]] : []),
].filter(([tool]) => !onPath(tool));
if (systemNeeds.length > 0) {
  const packages = systemNeeds.map(([, pkg]) => pkg);
  const canApt = process.platform === "linux" && process.getuid?.() === 0 && onPath("apt-get");
  if (canApt) {
    console.log(`installing ${packages.join(", ")} with apt-get (missing: ${systemNeeds.map(([t]) => t).join(", ")})`);
    const apt = (args) => spawnSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"] });
    apt(["update", "-qq"]);
    apt(["install", "-y", "-qq", ...packages]);
  } else {
    console.warn(`missing: ${systemNeeds.map(([t]) => t).join(", ")}; install ${packages.join(" ")} (e.g. apt-get install -y ${packages.join(" ")}), or set CHROMIUM_PATH to a Chromium/Chrome binary`);
  }
}

const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : undefined);
const reason = !fs.existsSync(path.join(root, "node_modules"))
  ? "node_modules is missing"
  : mtime(installed) === undefined
    ? "node_modules was not installed by npm"
    : mtime(installed) < (mtime(lock) ?? 0)
      ? "package-lock.json is newer than node_modules"
      : undefined;
if (!reason) process.exit(0);

console.log(`${reason}: running npm ci`);
// The npm that runs this script (npm sets npm_execpath), else the one on PATH.
const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ["npm"];
const result = spawnSync(npm[0], [...npm.slice(1), "ci", "--no-audit", "--no-fund"], {
  cwd: root,
  stdio: "inherit",
  shell: process.platform === "win32" && npm[0] === "npm",
});
process.exit(result.status ?? 1);
