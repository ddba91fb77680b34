import { describe, expect, it } from "vitest";
import { type IncidentRecord, newStepRecord, type Phase, type StepRecord } from "#lib/data/incident";
import { backoffSeconds, type IncidentStore, runIncident } from "#lib/incidents/engine";
import { type Lease, LeaseLost } from "#lib/incidents/records";
import type { Runbook, RunbookStep, StepContext, StepResult } from "#lib/incidents/step";

// The runbook engine against an in-memory store: steps in order, each recorded before and after,
// a DONE step never run again, an interrupted one resumed from its saved position, a failing one
// retried with a doubling backoff and, after N failures in a row, the incident FAILED naming it.

const settings = { maxAttempts: 3, retryBaseSeconds: 2 };
const later = () => Date.now() + 60_000;

function memoryStore(incident: IncidentRecord) {
  const calls: string[] = [];
  let holder: string | undefined;
  const stepsOf = (phase: Phase) => (phase === "respond" ? incident.steps : (incident.resolveSteps ??= {}));
  const step = (phase: Phase, name: string): StepRecord => (stepsOf(phase)[name] ??= newStepRecord());
  const own = (lease: Lease) => {
    if (lease.holder !== holder) throw new LeaseLost(lease.incidentId);
  };
  const store: IncidentStore & { calls: string[]; holdBy(other: string): void } = {
    calls,
    holdBy: (other) => void (holder = other),
    acquireLease: async (_id, me) => {
      if (holder) return undefined;
      holder = me;
      return structuredClone(incident);
    },
    releaseLease: async (lease) => {
      if (lease.holder === holder) holder = undefined;
    },
    stepStarted: async (lease, phase, name, first) => {
      own(lease);
      calls.push(`started ${name}${first ? " (first)" : ""}`);
      Object.assign(step(phase, name), { status: "RUNNING" });
    },
    stepProgress: async (lease, phase, name, cursor, counts) => {
      own(lease);
      calls.push(`progress ${name} ${cursor}`);
      Object.assign(step(phase, name), { cursor, counts, failures: 0 });
    },
    stepDone: async (lease, phase, name, counts) => {
      own(lease);
      calls.push(`done ${name}`);
      Object.assign(step(phase, name), { status: "DONE", counts, failures: 0, cursor: undefined });
    },
    stepFailed: async (lease, phase, name, error) => {
      own(lease);
      const record = step(phase, name);
      Object.assign(record, { status: "FAILED", failures: record.failures + 1, lastError: error });
      calls.push(`failed ${name} #${record.failures}`);
      return record.failures;
    },
    incidentFailed: async (lease, _incident, phase, name, error) => {
      own(lease);
      calls.push(`incident failed at ${name}`);
      Object.assign(incident, { status: "FAILED", failure: { phase, step: name, error, at: "now" } });
    },
    phaseDone: async (lease, _incident, phase) => {
      own(lease);
      calls.push(`phase ${phase} done`);
      incident.status = phase === "respond" ? "MITIGATED" : "RESOLVED";
    },
  };
  return store;
}

const anIncident = (overrides: Partial<IncidentRecord> = {}): IncidentRecord => ({
  incidentId: "i-1",
  type: "ACCOUNT_COMPROMISE",
  severity: "HIGH",
  userIds: ["u1"],
  details: { summary: "test" },
  requestedBy: "ops:test",
  fingerprint: "f",
  status: "RUNNING",
  receivedAt: "2026-11-20T12:00:00.000Z",
  detectedAt: "2026-11-20T12:00:00.000Z",
  steps: { a: newStepRecord(), b: newStepRecord(), c: newStepRecord() },
  stepOrder: ["a", "b", "c"],
  effects: {},
  timeline: [],
  updatedAt: "2026-11-20T12:00:00.000Z",
  ...overrides,
});

/** Steps that log their runs; `behaviour` decides what a run does. */
function steps(behaviour: Record<string, (context: StepContext, run: number) => Promise<StepResult>> = {}) {
  const runs: string[] = [];
  const count: Record<string, number> = {};
  const make = (name: string): RunbookStep => ({
    name,
    run: async (context) => {
      count[name] = (count[name] ?? 0) + 1;
      runs.push(`${name}${context.cursor ? `@${context.cursor}` : ""}`);
      return behaviour[name]?.(context, count[name] as number) ?? { done: true, counts: { [name]: 1 } };
    },
  });
  const runbook: Runbook = { respond: ["a", "b", "c"].map(make), resolve: ["r"].map(make) };
  return { runs, runbooks: { ACCOUNT_COMPROMISE: runbook } };
}

const run = (store: IncidentStore, runbooks: Record<string, Runbook>) => runIncident("i-1", { deadline: later(), store, runbooks, settings });

describe("the runbook engine", () => {
  it("runs the steps in order, each recorded before and after, and the incident is MITIGATED", async () => {
    const store = memoryStore(anIncident());
    const { runs, runbooks } = steps();
    expect(await run(store, runbooks)).toEqual({ kind: "done", status: "MITIGATED" });
    expect(runs).toEqual(["a", "b", "c"]);
    expect(store.calls).toEqual(["started a (first)", "done a", "started b (first)", "done b", "started c (first)", "done c", "phase respond done"]);
  });

  it("never runs a step again: a duplicate delivery after the end finds nothing to do", async () => {
    const store = memoryStore(anIncident());
    const { runs, runbooks } = steps();
    await run(store, runbooks);
    expect(await run(store, runbooks)).toEqual({ kind: "settled", status: "MITIGATED" });
    expect(runs).toEqual(["a", "b", "c"]);
  });

  it("resumes an interrupted run: DONE steps skipped, the RUNNING one from its saved position", async () => {
    const incident = anIncident({ steps: { a: { ...newStepRecord(), status: "DONE" }, b: { ...newStepRecord(), status: "RUNNING", cursor: "page-3", counts: { x: 2 } }, c: newStepRecord() } });
    const store = memoryStore(incident);
    const seen: Record<string, number>[] = [];
    const { runs, runbooks } = steps({ b: async (context) => (seen.push(context.counts), { done: true, counts: context.counts }) });
    expect((await run(store, runbooks)).kind).toBe("done");
    expect(runs).toEqual(["b@page-3", "c"]);
    expect(seen).toEqual([{ x: 2 }]);
    expect(store.calls[0]).toBe("started b"); // not its first start: no second STEP_STARTED
  });

  it("hands over when a step is not done, and the next invocation goes on from its position", async () => {
    const store = memoryStore(anIncident());
    const { runs, runbooks } = steps({ b: async (_c, n) => (n === 1 ? { done: false, counts: { n: 1 }, cursor: "p2", delaySeconds: 7 } : { done: true, counts: { n: 2 } }) });
    expect(await run(store, runbooks)).toEqual({ kind: "continue", delaySeconds: 7 });
    expect(store.calls).toContain("progress b p2");
    expect(await run(store, runbooks)).toEqual({ kind: "done", status: "MITIGATED" });
    expect(runs).toEqual(["a", "b", "b@p2", "c"]);
  });

  it("retries a failing step after a doubling backoff, and goes on once it succeeds", async () => {
    const store = memoryStore(anIncident());
    const { runs, runbooks } = steps({ b: async (_c, n) => (n <= 2 ? Promise.reject(new Error(`boom ${n}`)) : { done: true, counts: {} }) });
    expect(await run(store, runbooks)).toEqual({ kind: "retry", delaySeconds: 2, step: "b", failures: 1 });
    expect(await run(store, runbooks)).toEqual({ kind: "retry", delaySeconds: 4, step: "b", failures: 2 });
    expect(await run(store, runbooks)).toEqual({ kind: "done", status: "MITIGATED" });
    expect(runs).toEqual(["a", "b", "b", "b", "c"]);
  });

  it("FAILS the incident after N failures in a row, naming the step and its error; then it runs nothing", async () => {
    const incident = anIncident();
    const store = memoryStore(incident);
    const { runs, runbooks } = steps({ b: async () => Promise.reject(new TypeError("no such field")) });
    await run(store, runbooks);
    await run(store, runbooks);
    expect(await run(store, runbooks)).toEqual({ kind: "failed", step: "b", error: "TypeError: no such field" });
    expect(incident.failure).toMatchObject({ phase: "respond", step: "b", error: "TypeError: no such field" });
    expect(await run(store, runbooks)).toEqual({ kind: "settled", status: "FAILED" });
    expect(runs).toEqual(["a", "b", "b", "b"]);
  });

  it("counts failures in a row: a step that made progress in between starts again from one", async () => {
    const store = memoryStore(anIncident());
    const script = ["fail", "progress", "fail", "fail", "done"];
    const { runbooks } = steps({
      b: async (_c, n) => {
        const what = script[n - 1];
        if (what === "fail") throw new Error("transient");
        return what === "progress" ? { done: false, counts: {}, cursor: `p${n}` } : { done: true, counts: {} };
      },
    });
    const kinds = [];
    for (let i = 0; i < 5; i++) kinds.push((await run(store, runbooks)).kind);
    expect(kinds).toEqual(["retry", "continue", "retry", "retry", "done"]);
  });

  it("leaves an incident another process holds alone, and stops when its lease is taken over mid-step", async () => {
    const store = memoryStore(anIncident());
    const { runs, runbooks } = steps({ a: async () => Promise.reject(new LeaseLost("i-1")) });
    store.holdBy("someone else");
    expect(await run(store, runbooks)).toEqual({ kind: "busy" });
    expect(runs).toEqual([]);
    store.holdBy("");
    expect(await run(store, runbooks)).toEqual({ kind: "busy" });
    expect(store.calls).not.toContain("failed a #1");
  });

  it("runs the recovery of a RESOLVING incident to RESOLVED", async () => {
    const store = memoryStore(anIncident({ status: "RESOLVING", resolution: { requestedBy: "staff-2", requestedAt: "x", summary: "done" }, resolveSteps: { r: newStepRecord() } }));
    const { runs, runbooks } = steps();
    expect(await run(store, runbooks)).toEqual({ kind: "done", status: "RESOLVED" });
    expect(runs).toEqual(["r"]);
  });

  it("backs off 2, 4, 8 ... seconds from the base, never beyond SQS's 15 minutes", () => {
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, 2))).toEqual([2, 4, 8, 16]);
    expect(backoffSeconds(20, 30)).toBe(900);
  });
});
