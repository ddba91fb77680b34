// npm test: two vitest runs, one after the other, each with its own local stack. The fault tests
// (project "faults") stop and pause emulators, so they cannot share a stack with the other tests,
// and two stacks at once would overload two cores. Arguments go to both runs; a JSON report
// (--outputFile.json=FILE, as .ci/run asks) covers both: each run writes its own, merged into FILE.
// With --project, one plain vitest run.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
const args = process.argv.slice(2);

const RUNS = [
  { label: "unit and stack tests", projects: ["unit", "stack"] },
  { label: "fault tests (a stack of their own)", projects: ["faults"] },
];

const run = (extra) => spawnSync(process.execPath, [vitest, "run", ...extra], { cwd: root, stdio: "inherit" });

if (args.some((a) => a === "--project" || a.startsWith("--project="))) {
  process.exit(exitCode(run(args)));
}

// Where the JSON report goes, and the arguments without it.
let jsonFile;
const rest = [];
for (let i = 0; i < args.length; i++) {
  const match = /^--outputFile(\.json)?(?:=(.*))?$/.exec(args[i]);
  if (!match) rest.push(args[i]);
  else jsonFile = match[2] ?? args[++i];
}
// A file filter may match no file of one run: that run must not fail for it.
const extra = rest.filter((a) => !/^--reporter(=|$)/.test(a) && !/^(default|json|verbose|dot|junit)$/.test(a));
const lenient = extra.length > 0 ? ["--passWithNoTests"] : [];

let status = 0;
const reports = [];
for (const [index, { label, projects }] of RUNS.entries()) {
  console.log(`\nnpm test: ${label}`);
  const report = jsonFile && `${jsonFile}.${index + 1}.json`;
  const result = run([...projects.flatMap((p) => ["--project", p]), ...rest, ...lenient, ...(report ? [`--outputFile.json=${report}`] : [])]);
  status ||= exitCode(result);
  if (report) reports.push(report);
  // Ctrl-C: stop here rather than start another stack.
  if (result.signal || result.status === 130) break;
}
if (jsonFile) mergeReports(reports, jsonFile, status);
process.exit(status);

function exitCode(result) {
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** Sums the counts of vitest's JSON reports and joins their results into one report. */
function mergeReports(files, target, exitStatus) {
  const found = files.filter((f) => fs.existsSync(f)).map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
  for (const f of files) fs.rmSync(f, { force: true });
  if (found.length === 0) return;
  const merged = found.reduce((a, b) => mergeValues(a, b));
  merged.startTime = Math.min(...found.map((r) => r.startTime));
  // A run that failed before it could report (a broken globalSetup) still fails the whole.
  merged.success = found.every((r) => r.success) && found.length === files.length && exitStatus === 0;
  fs.writeFileSync(target, JSON.stringify(merged));
}

function mergeValues(a, b) {
  if (typeof a === "number" && typeof b === "number") return a + b;
  if (typeof a === "boolean" && typeof b === "boolean") return a || b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (a && b && typeof a === "object" && typeof b === "object") {
    return Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, k in a && k in b ? mergeValues(a[k], b[k]) : (a[k] ?? b[k])]));
  }
  return a ?? b;
}
