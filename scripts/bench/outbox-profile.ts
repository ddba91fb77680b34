import fs from "node:fs";
import { mean, percentile, round } from "./stats";
import type { TapListener } from "./taps";

// Where an outbox message's time goes, seen from outside lib/: the taps time the batch calls that
// name a message (the BatchGetItem that reads it, the BatchExecuteStatement that claims it, the
// BatchWriteItem that settles it, found by its outbox key) and each SES call (by its address), so
// every message gets a timeline read → claim → (pace, decrypt, render, sign) → SES → settle; and
// the CPU each process spent (this one, DynamoDB Local, the SES emulator) is read from /proc.

export interface Timeline {
  read?: [number, number];
  claim?: [number, number];
  send?: [number, number];
  settle?: [number, number];
}

export interface StageStats {
  meanMs: number;
  p50Ms: number;
}

export interface TimelineSummary {
  messages: number;
  /** The batch's consistent BatchGetItem. */
  read: StageStats;
  /** The batch's BatchExecuteStatement of conditional UPDATEs. */
  claim: StageStats;
  /** Claim answered → SES call starts: lanes busy with the batch's other messages, pacer, decrypt, render, signing. */
  beforeSend: StageStats;
  send: StageStats;
  /** SES answered → settle starts: the batch's other sends. */
  beforeSettle: StageStats;
  /** The batch's BatchWriteItem. */
  settle: StageStats;
  /** Read start → settle end. */
  total: StageStats;
  /** Little's law: messages in flight on average (sum of totals ÷ wall time). */
  meanInFlight: number;
  /** SES calls in flight on average (sum of SES durations ÷ wall time): what the lanes keep busy. */
  sesInFlight: number;
}

const SES_PATH = "/v2/email/outbound-emails";

type AttributeMap = Record<string, { S?: string } | undefined>;
const outboxId = (sk: string | undefined) => (sk?.startsWith("OUTBOX#") ? sk.slice("OUTBOX#".length) : undefined);

/** The outbox message ids a DynamoDB call names, and which stage of the timeline it is. */
function stageOf(command: string, input: Record<string, unknown>): { stage: "read" | "claim" | "settle"; ids: string[] } | undefined {
  const tables = (input.RequestItems ?? {}) as Record<string, unknown>;
  if (command === "BatchGetItemCommand") {
    const keys = Object.values(tables).flatMap((t) => ((t as { Keys?: AttributeMap[] }).Keys ?? []));
    return { stage: "read", ids: keys.flatMap((k) => outboxId(k.SK?.S) ?? []) };
  }
  if (command === "BatchExecuteStatementCommand") {
    const statements = (input.Statements ?? []) as { Statement?: string; Parameters?: { S?: string }[] }[];
    const claims = statements.filter((st) => st.Statement?.includes("'SENDING'"));
    return { stage: "claim", ids: claims.flatMap((st) => st.Parameters?.flatMap((p) => outboxId(p.S) ?? []) ?? []) };
  }
  if (command === "BatchWriteItemCommand") {
    const requests = Object.values(tables).flat() as { PutRequest?: { Item?: AttributeMap } }[];
    return { stage: "settle", ids: requests.flatMap((r) => outboxId(r.PutRequest?.Item?.SK?.S) ?? []) };
  }
  return undefined;
}

/** A tap listener building one timeline per message (messageId from the key, or the address via `idOfAddress`). */
export function timelineTap(idOfAddress: (address: string) => string | undefined) {
  const lines = new Map<string, Timeline>();
  const of = (id: string) => lines.get(id) ?? (lines.set(id, {}), lines.get(id) as Timeline);
  const listener: TapListener = {
    dynamo: (call) => {
      const named = stageOf(call.command, call.input);
      for (const id of named?.ids ?? []) {
        const line = of(id);
        line[named?.stage ?? "read"] ??= [call.start, call.end]; // the first of each (a retry's read comes later)
      }
    },
    fetch: (call) => {
      if (!call.url.includes(SES_PATH) || !call.body) return;
      const to = (JSON.parse(call.body) as { Destination?: { ToAddresses?: string[] } }).Destination?.ToAddresses?.[0] ?? "";
      of(idOfAddress(to) ?? `ses:${to}:${call.start}`).send = [call.start, call.end];
    },
  };
  return { listener, lines };
}

const stage = (values: number[]): StageStats => ({ meanMs: round(mean(values), 3), p50Ms: round(percentile(values, 50), 3) });

export function summarise(lines: Iterable<Timeline>, wallMs: number): TimelineSummary {
  const full = [...lines].filter((l): l is Required<Timeline> => !!(l.read && l.claim && l.send && l.settle));
  const totals = full.map((l) => l.settle[1] - l.read[0]);
  const sends = full.map((l) => l.send[1] - l.send[0]);
  return {
    messages: full.length,
    read: stage(full.map((l) => l.read[1] - l.read[0])),
    claim: stage(full.map((l) => l.claim[1] - l.claim[0])),
    beforeSend: stage(full.map((l) => l.send[0] - l.claim[1])),
    send: stage(sends),
    beforeSettle: stage(full.map((l) => l.settle[0] - l.send[1])),
    settle: stage(full.map((l) => l.settle[1] - l.settle[0])),
    total: stage(totals),
    meanInFlight: round(totals.reduce((a, b) => a + b, 0) / wallMs, 1),
    sesInFlight: round(sends.reduce((a, b) => a + b, 0) / wallMs, 1),
  };
}

/** SES calls alone (the baseline): duration and messages in flight. */
export function summariseSends(lines: Iterable<Timeline>, wallMs: number): { send: StageStats; meanInFlight: number } {
  const sends = [...lines].flatMap((l) => (l.send ? [l.send[1] - l.send[0]] : []));
  return { send: stage(sends), meanInFlight: round(sends.reduce((a, b) => a + b, 0) / wallMs, 1) };
}

// CPU time per process group, from /proc (Linux; elsewhere the numbers are left out).
const TICK_MS = 10; // CLK_TCK 100

function groupCpuMs(pgid: number): number | undefined {
  let ticks = 0;
  let seen = false;
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  for (const pid of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
      seen = true;
    } catch {
      // the process ended meanwhile
    }
  }
  return seen ? ticks * TICK_MS : undefined;
}

/** CPU ms of this process and of each named process group (emulators lead their own groups). */
export function cpuSnapshot(groups: Record<string, number | null | undefined>): Record<string, number | undefined> {
  const usage = process.cpuUsage();
  const out: Record<string, number | undefined> = { bench: (usage.user + usage.system) / 1000 };
  for (const [name, pgid] of Object.entries(groups)) out[name] = pgid ? groupCpuMs(pgid) : undefined;
  return out;
}

/** CPU ms per message spent between two snapshots, per process. */
export function cpuPerMessage(before: Record<string, number | undefined>, after: Record<string, number | undefined>, messages: number) {
  const out: Record<string, number> = {};
  for (const [name, end] of Object.entries(after)) {
    const start = before[name];
    if (end !== undefined && start !== undefined) out[name] = round((end - start) / messages, 3);
  }
  return out;
}
