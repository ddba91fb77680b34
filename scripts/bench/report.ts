import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BuildOptions } from "esbuild";
import { type BundleResult, type InputShare, packageShares } from "./bundle";
import type { ColdInitResult } from "./cold-init";
import { type FloorResult, formatFloor } from "./floor";
import type { HandlerResult, HandlerSettings } from "./handlers";
import { type BreachResult, formatBreach } from "./breach";
import type { OutboxResult } from "./outbox";
import { formatOutbox } from "./outbox-report";
import { formatRecompute, type RecomputeBenchResult } from "./recompute";
import { round } from "./stats";

export const TARGETS = {
  bundleKB: 300,
  /** Not a pass/fail: how many functions already fit the next size budget. */
  bundleStretchKB: 250,
  coldInitMs: 80,
  /** GET /me: the auth check's BatchGetItem plus at most one more read. */
  getMeDynamoRoundTrips: 2,
} as const;

const KB = 1024;

/** Read next to the RCU/WCU columns: they come from DynamoDB Local, which is not AWS's meter. */
export const CAPACITY_NOTE =
  "RCU/WCU as DynamoDB Local reports them (table + GSIs): it does not charge transactions double as AWS does (2 units per item-KB in TransactWriteItems/TransactGetItems).";

/** What the scenarios on the local stack produce. */
export interface StackResults {
  handlers: HandlerResult[];
  floors: FloorResult[];
  recompute: RecomputeBenchResult;
  outbox: OutboxResult;
  breach: BreachResult;
}

export interface BenchData extends StackResults {
  bundles: BundleResult[];
  coldInit: ColdInitResult[];
  settings: HandlerSettings & { floorSamples: number; coldInitRuns: number; esbuild: BuildOptions };
  durationSeconds: number;
  loadAtStart: number[];
}

const pass = (ok: boolean) => (ok ? "PASS" : "FAIL");
const kb = (bytes: number) => round(bytes / KB, 1);

/** The JSON document of bench-results/bench.json: the same numbers as the table, plus raw runs. */
export function toJson(data: BenchData) {
  const largest = largestBundle(data.bundles);
  const getMe = data.handlers.find((h) => h.name === "get-me");
  return {
    timestamp: new Date().toISOString(),
    durationSeconds: data.durationSeconds,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      totalMemoryMB: Math.round(os.totalmem() / 2 ** 20),
      loadAverageAtStart: data.loadAtStart.map((v) => round(v)),
      loadAverageAtEnd: os.loadavg().map((v) => round(v)),
    },
    targets: TARGETS,
    capacityNote: CAPACITY_NOTE,
    settings: data.settings,
    functions: data.bundles.map((bundle) => {
      const init = data.coldInit.find((c) => c.name === bundle.name);
      const handler = data.handlers.find((h) => h.name === bundle.name);
      return {
        name: bundle.name,
        bundleBytes: bundle.bytes,
        bundleKB: kb(bundle.bytes),
        bundlePass: bundle.bytes <= TARGETS.bundleKB * KB,
        bundleStretch: bundle.bytes <= TARGETS.bundleStretchKB * KB,
        coldInitMs: init?.medianMs ?? null,
        coldInitMinMs: init?.minMs ?? null,
        coldInitRunsMs: init?.runs ?? [],
        coldInitPass: init ? init.medianMs <= TARGETS.coldInitMs : null,
        handler: handler ?? null,
      };
    }),
    largestBundle: largest && {
      name: largest.name,
      bundleKB: kb(largest.bytes),
      topInputs: largest.inputs.slice(0, 5).map(asKB),
      topPackages: packageShares(largest.inputs).slice(0, 5).map(asKB),
    },
    getMe: getMe && {
      dynamoRoundTrips: getMe.dynamodb.calls,
      byCommand: getMe.dynamodb.byCommand,
      pass: getMe.dynamodb.calls <= TARGETS.getMeDynamoRoundTrips,
    },
    floor: data.floors,
    recompute: data.recompute,
    outbox: data.outbox,
    breach: data.breach,
  };
}

export function writeJson(file: string, json: ReturnType<typeof toJson> & Record<string, unknown>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

/** The human report: one row per function, then the targets, what to cut, and DynamoDB details. */
export function formatReport(json: ReturnType<typeof toJson>): string {
  const header = [
    "function",
    "bundle KB",
    "size",
    `<=${TARGETS.bundleStretchKB}`,
    "init ms",
    "init",
    "init min",
    "p50 ms",
    "p99 ms",
    "mean ms",
    "DDB calls/req",
    "RCU/req",
    "WCU/req",
  ];
  const dash = "-";
  const rows = json.functions.map((f) => {
    const h = f.handler;
    return [
      f.name,
      f.bundleKB.toFixed(1),
      pass(f.bundlePass),
      f.bundleStretch ? "yes" : "no",
      f.coldInitMs === null ? dash : f.coldInitMs.toFixed(1),
      f.coldInitPass === null ? dash : pass(f.coldInitPass),
      f.coldInitMinMs === null ? dash : f.coldInitMinMs.toFixed(1),
      h ? h.p50Ms.toFixed(1) : dash,
      h ? h.p99Ms.toFixed(1) : dash,
      h ? h.meanMs.toFixed(1) : dash,
      h ? h.dynamodb.calls.toFixed(2) : dash,
      h ? h.dynamodb.rcu.toFixed(2) : dash,
      h ? h.dynamodb.wcu.toFixed(2) : dash,
    ];
  });
  const load = json.machine.loadAverageAtStart.map((v) => v.toFixed(2)).join(" ");
  const lines = [
    `${json.machine.cpus} CPUs (${json.machine.cpuModel}), node ${json.machine.node}, load average at start ${load}, ${json.durationSeconds} s`,
    "",
    table(header, rows),
    "",
  ];
  const count = (ok: (f: (typeof json.functions)[number]) => boolean) => json.functions.filter(ok).length;
  const n = json.functions.length;
  lines.push(
    `Targets (1 KB = 1024 bytes; latency: ${json.settings.calls} sequential calls after ${json.settings.warmup} warm-up; cold init: median of ${json.settings.coldInitRuns} fresh node processes):`,
    `  bundle <= ${TARGETS.bundleKB} KB          ${count((f) => f.bundlePass)}/${n} PASS`,
    `  bundle <= ${TARGETS.bundleStretchKB} KB (stretch) ${count((f) => f.bundleStretch)}/${n}`,
    `  cold init <= ${TARGETS.coldInitMs} ms         ${count((f) => f.coldInitPass === true)}/${n} PASS`,
  );
  if (json.getMe) {
    const commands = Object.entries(json.getMe.byCommand)
      .map(([c, v]) => `${c} x${v}`)
      .join(", ");
    lines.push(
      `  GET /me DynamoDB round trips <= ${TARGETS.getMeDynamoRoundTrips} (auth BatchGetItem + 1 read): ${json.getMe.dynamoRoundTrips} (${commands}) ${pass(json.getMe.pass)}`,
    );
  }
  if (json.largestBundle) {
    const l = json.largestBundle;
    lines.push("", `Largest bundle: ${l.name} (${l.bundleKB} KB). Its 5 biggest inputs (minified bytes in the bundle):`);
    lines.push(...l.topInputs.map((i) => `  ${i.kb.toFixed(1).padStart(7)} KB  ${i.path}`));
    lines.push("By package:");
    lines.push(...l.topPackages.map((i) => `  ${i.kb.toFixed(1).padStart(7)} KB  ${i.path}`));
  }
  const measured = json.functions.flatMap((f) => (f.handler ? [f.handler] : []));
  if (measured.length) {
    lines.push("", "DynamoDB commands per request:");
    for (const h of measured) {
      const commands = Object.entries(h.dynamodb.byCommand)
        .map(([c, v]) => `${c.replace(/Command$/, "")} x${v}`)
        .join(", ");
      const retries = h.dynamodb.attempts > h.dynamodb.calls ? `, ${h.dynamodb.attempts} HTTP attempts/req (retries!)` : "";
      const failed = h.dynamodb.failures > 0 ? `, ${h.dynamodb.failures} failed/req` : "";
      lines.push(`  ${h.name.padEnd(10)} ${commands || "none"}${retries}${failed}`);
    }
    lines.push(`  ${CAPACITY_NOTE}`);
  }
  lines.push("", ...formatFloor(json.floor), "", ...formatRecompute(json.recompute), "", ...formatOutbox(json.outbox), "", ...formatBreach(json.breach));
  return lines.join("\n");
}

function largestBundle(bundles: BundleResult[]): BundleResult | undefined {
  return bundles.reduce<BundleResult | undefined>((max, b) => (!max || b.bytes > max.bytes ? b : max), undefined);
}

const asKB = (share: InputShare) => ({ path: share.path, bytes: share.bytes, kb: kb(share.bytes) });

/** Left-aligned first column, the rest right-aligned (numbers). */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => (r[col] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((cell, col) => (col === 0 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
