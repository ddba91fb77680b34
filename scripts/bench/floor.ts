import * as ddb from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { median, round } from "./stats";
import type { DynamoCall, FetchCall, Taps } from "./taps";

// The floor of a handler: the network calls a request made (DynamoDB commands, Cognito and other
// fetches), replayed alone in the same order on the same stack. handler p50 ÷ replay p50 says how
// much the handler adds on top of the round trips it cannot avoid (target ≤ 1.5×). Calls that
// overlapped in the handler are replayed concurrently, so the floor is not inflated by the replay
// serialising what the handler ran in parallel. A conditional write that now fails its condition
// (the item exists since the real request) still costs its round trip: it counts as replayed.

export const FLOOR_TARGET = 1.5;

type Call = ({ kind: "dynamodb" } & DynamoCall) | ({ kind: "fetch" } & FetchCall);

/** The calls of one measured request, in start order, times relative to the request's start. */
export type RecordedRequest = Call[];

export interface FloorResult {
  name: string;
  /** p50 of all measured calls of the handler. */
  handlerP50Ms: number;
  /** p50 of the same handler calls that were sampled for the replay. */
  sampleHandlerP50Ms: number;
  replayP50Ms: number;
  ratio: number;
  target: number;
  samples: number;
  /** The calls of the median sample, e.g. ["BatchGetItem", "cognito InitiateAuth", "TransactWriteItems"]. */
  calls: string[];
  /** p50 of the handler's time inside its network calls (overlaps once), and outside them (in-process work). */
  inCallsP50Ms: number;
  outsideCallsP50Ms: number;
  /** handler p50 ÷ in-calls p50: the floor as the calls cost inside the handler (writes that succeed). */
  inCallsRatio: number;
  /** Per call name: p50 duration inside the handler and when replayed. */
  perCall: Record<string, { handlerP50Ms: number; replayP50Ms: number }>;
  /** Replayed calls that answered an error (failed conditions, already-existing users), by name. */
  replayErrors: Record<string, number>;
}

/** Collects the calls of each request while a window is open (requests run one at a time). */
export function createRecorder(taps: Taps) {
  let current: { calls: Call[]; started: number } | undefined;
  taps.listen({
    // The input is kept by reference (nothing changes it once serialised) and copied in end(),
    // outside the timed call.
    dynamo: (call) => current?.calls.push({ kind: "dynamodb", ...call }),
    fetch: (call) => current?.calls.push({ kind: "fetch", ...call }),
  });
  return {
    begin(): void {
      current = { calls: [], started: performance.now() };
    },
    end(): RecordedRequest {
      const window = current;
      current = undefined;
      if (!window) throw new Error("recorder: end() without begin()");
      return window.calls
        .map((c) => ({ ...c, ...(c.kind === "dynamodb" ? { input: structuredClone(c.input) } : {}), start: c.start - window.started, end: c.end - window.started }))
        .sort((a, b) => a.start - b.start);
    },
  };
}

export const callName = (call: Call): string => {
  if (call.kind === "dynamodb") return call.command.replace(/Command$/, "");
  const target = call.headers["x-amz-target"];
  const host = new URL(call.url);
  return target ? `${target.includes("Cognito") ? "cognito" : host.host} ${target.split(".").pop()}` : `${call.method} ${host.pathname}`;
};

/** Calls grouped into waves: a call that started before an earlier one of its wave ended ran beside it. */
function waves(calls: Call[]): Call[][] {
  const out: Call[][] = [];
  let end = Number.NEGATIVE_INFINITY;
  for (const call of calls) {
    const last = out.at(-1);
    if (last && call.start < end) {
      last.push(call);
      end = Math.max(end, call.end);
    } else {
      out.push([call]);
      end = call.end;
    }
  }
  return out;
}

type CommandClass = new (input: unknown) => Parameters<DynamoDBDocumentClient["send"]>[0];

/** Sends one recorded call again: how long it took, and the error name if it answered one. */
async function replayCall(call: Call, client: DynamoDBDocumentClient, realFetch: typeof fetch): Promise<{ ms: number; error?: string }> {
  const started = performance.now();
  const done = (error?: string) => ({ ms: performance.now() - started, error });
  if (call.kind === "dynamodb") {
    const Command = (ddb as unknown as Record<string, CommandClass | undefined>)[call.command];
    if (!Command) throw new Error(`replay: @aws-sdk/client-dynamodb has no ${call.command}`);
    try {
      await client.send(new Command(structuredClone(call.input)));
      return done();
    } catch (error) {
      if (!(error instanceof ddb.DynamoDBServiceException)) throw error;
      return done(error.name);
    }
  }
  if (call.hasBody && call.body === undefined) throw new Error(`replay: the body of ${call.method} ${call.url} was not a string`);
  const response = await realFetch(call.url, { method: call.method, headers: call.headers, body: call.body });
  await response.arrayBuffer();
  return done(response.ok ? undefined : (response.headers.get("x-amzn-errortype") ?? `HTTP${response.status}`).split(":")[0]);
}

/** Time of a request spent inside at least one network call (overlapping calls count once). */
function inCallsMs(calls: RecordedRequest): number {
  let total = 0;
  for (const wave of waves(calls)) total += Math.max(...wave.map((c) => c.end)) - Math.min(...wave.map((c) => c.start));
  return total;
}

/**
 * Replays `samples` requests spread evenly over the recorded ones (after a few untimed replays to
 * warm the path), each once, and compares the medians.
 */
export async function measureFloor(
  name: string,
  recorded: RecordedRequest[],
  handlerMs: number[],
  client: DynamoDBDocumentClient,
  realFetch: typeof fetch,
  samples = 50,
): Promise<FloorResult> {
  if (recorded.every((calls) => calls.length === 0)) throw new Error(`floor: no network call of ${name} was recorded (are the taps on the handlers' client?)`);
  const n = Math.min(samples, recorded.length);
  const picks = Array.from({ length: n }, (_, i) => Math.floor((i * recorded.length) / n));
  let errors: Record<string, number> = {};
  let perCall = new Map<string, number[]>();
  const replay = async (calls: RecordedRequest) => {
    const started = performance.now();
    for (const wave of waves(calls)) {
      const outcomes = await Promise.all(wave.map((c) => replayCall(c, client, realFetch)));
      outcomes.forEach(({ ms, error }, i) => {
        if (error) errors[error] = (errors[error] ?? 0) + 1;
        const key = callName(wave[i] as Call);
        perCall.set(key, [...(perCall.get(key) ?? []), ms]);
      });
    }
    return performance.now() - started;
  };
  for (const i of picks.slice(0, 5)) await replay(recorded[i] ?? []);
  errors = {};
  perCall = new Map();
  const replayMs: number[] = [];
  for (const i of picks) replayMs.push(await replay(recorded[i] ?? []));

  // The handler's side: time inside its calls, outside them, and each call's duration.
  const inCalls = recorded.map(inCallsMs);
  const handlerPerCall = new Map<string, number[]>();
  for (const call of recorded.flat()) handlerPerCall.set(callName(call), [...(handlerPerCall.get(callName(call)) ?? []), call.end - call.start]);
  // The call list of the sample whose replay took the median time.
  const mid = picks[replayMs.indexOf(median(replayMs))] ?? 0;
  const handlerP50 = median(handlerMs);
  const replayP50 = median(replayMs);
  return {
    name,
    handlerP50Ms: round(handlerP50),
    sampleHandlerP50Ms: round(median(picks.map((i) => handlerMs[i] ?? Number.NaN))),
    replayP50Ms: round(replayP50),
    ratio: round(handlerP50 / replayP50),
    target: FLOOR_TARGET,
    samples: n,
    calls: (recorded[mid] ?? []).map(callName),
    inCallsP50Ms: round(median(inCalls)),
    outsideCallsP50Ms: round(median(handlerMs.map((ms, i) => ms - (inCalls[i] ?? 0)))),
    inCallsRatio: round(handlerP50 / median(inCalls)),
    perCall: Object.fromEntries(
      [...handlerPerCall].map(([call, ms]) => [call, { handlerP50Ms: round(median(ms)), replayP50Ms: round(median(perCall.get(call) ?? [])) }]),
    ),
    replayErrors: errors,
  };
}

export function formatFloor(results: FloorResult[]): string[] {
  const lines = [`Floor ratio (handler p50 ÷ p50 of the same DynamoDB/Cognito calls replayed alone; target ≤ ${FLOOR_TARGET}×):`];
  for (const r of results) {
    const verdict = r.ratio <= r.target ? "PASS" : "MISSED";
    lines.push(
      `  ${r.name.padEnd(10)} handler ${r.handlerP50Ms.toFixed(2).padStart(6)} ms  replay ${r.replayP50Ms.toFixed(2).padStart(6)} ms  ` +
        `${r.ratio.toFixed(2).padStart(5)}×  ${verdict}   ${r.calls.join(" → ")}`,
    );
    const calls = Object.entries(r.perCall).map(([c, v]) => `${c} ${v.handlerP50Ms.toFixed(1)}/${v.replayP50Ms.toFixed(1)}`);
    lines.push(
      `  ${"".padEnd(10)} inside its calls ${r.inCallsP50Ms.toFixed(1)} ms (handler ÷ that ${r.inCallsRatio.toFixed(2)}×), outside ${r.outsideCallsP50Ms.toFixed(1)} ms; ` +
        `per call, in handler/replayed p50 ms: ${calls.join(", ")}`,
    );
  }
  const errors = results.filter((r) => Object.keys(r.replayErrors).length > 0);
  if (errors.length) {
    const text = errors.map((r) => `${r.name}: ${Object.entries(r.replayErrors).map(([e, v]) => `${e} x${v}`).join(", ")}`).join("; ");
    lines.push(`  replayed calls answering an error (expected: the state exists since the real call): ${text}`);
  }
  return lines;
}
