import { randomUUID } from "node:crypto";
import { config } from "#lib/config";
import type { IncidentRecord, IncidentStatus, Phase, StepRecord } from "#lib/data/incident";
import { newStepRecord } from "#lib/data/incident";
import { logger } from "#lib/logger";
import * as records from "#lib/incidents/records";
import { type Lease, LeaseLost } from "#lib/incidents/records";
import { ALL_RUNBOOKS } from "#lib/incidents/steps";
import type { Runbook, StepContext } from "#lib/incidents/step";

// Runs an incident's runbook, the nightly job's way: under a lease (one process at a time; a dead
// one's lease expires and the next delivery takes over), each step recorded before it runs and
// after, steps already DONE skipped, an interrupted one resumed from its saved position. A step
// that throws is recorded with its error and retried after a backoff (base, doubling); after
// `maxAttempts` failures in a row the incident is FAILED, naming the step. The caller (the queue
// consumer) turns `continue` and `retry` into a delayed message to itself.

export type IncidentStore = Pick<
  typeof records,
  "acquireLease" | "releaseLease" | "stepStarted" | "stepProgress" | "stepDone" | "stepFailed" | "incidentFailed" | "phaseDone"
>;

export type RunOutcome =
  /** Another process holds the incident: it (or its message, redelivered) carries on. */
  | { kind: "busy" }
  /** Nothing to run (MITIGATED, RESOLVED, or FAILED until ops retry or resolve it). */
  | { kind: "settled"; status: IncidentStatus }
  | { kind: "done"; status: IncidentStatus }
  /** Out of time or waiting: carry on after `delaySeconds`. */
  | { kind: "continue"; delaySeconds: number }
  | { kind: "retry"; delaySeconds: number; step: string; failures: number }
  | { kind: "failed"; step: string; error: string };

export interface EngineOptions {
  /** Epoch ms by which this invocation must have handed over. */
  deadline: number;
  store?: IncidentStore;
  runbooks?: Record<string, Runbook>;
  settings?: { maxAttempts: number; retryBaseSeconds: number };
}

/** SQS delays a message at most 15 minutes. */
export const MAX_DELAY_SECONDS = 900;
export const backoffSeconds = (failures: number, baseSeconds: number) => Math.min(MAX_DELAY_SECONDS, baseSeconds * 2 ** Math.max(0, failures - 1));

const phaseOf = (status: IncidentStatus): Phase | undefined => (status === "RUNNING" ? "respond" : status === "RESOLVING" ? "resolve" : undefined);
const actorOf = (incident: IncidentRecord, phase: Phase) => (phase === "resolve" ? (incident.resolution?.requestedBy ?? incident.requestedBy) : incident.requestedBy);

export async function runIncident(incidentId: string, options: EngineOptions): Promise<RunOutcome> {
  const store = options.store ?? records;
  const runbooks = options.runbooks ?? ALL_RUNBOOKS;
  const settings = options.settings ?? config().incidents;
  const lease: Lease = { incidentId, holder: randomUUID() };
  const incident = await store.acquireLease(incidentId, lease.holder);
  if (!incident) return { kind: "busy" };
  try {
    const phase = phaseOf(incident.status);
    const runbook = runbooks[incident.type];
    if (!phase || !runbook) return { kind: "settled", status: incident.status };
    const recorded = (phase === "respond" ? incident.steps : incident.resolveSteps) ?? {};
    const actor = actorOf(incident, phase);
    for (const step of runbook[phase]) {
      const record: StepRecord = recorded[step.name] ?? newStepRecord();
      if (record.status === "DONE") continue; // done before: never again
      await store.stepStarted(lease, phase, step.name, record.status === "PENDING");
      const context: StepContext = {
        incident,
        phase,
        lease,
        actor,
        cursor: record.cursor,
        counts: record.counts ?? {},
        timeLeft: () => options.deadline - Date.now(),
        saveProgress: (cursor, counts) => store.stepProgress(lease, phase, step.name, cursor, counts),
      };
      let result;
      try {
        result = await step.run(context);
      } catch (error) {
        if (error instanceof LeaseLost) return { kind: "busy" };
        const message = `${(error as Error).name}: ${(error as Error).message}`;
        const failures = await store.stepFailed(lease, phase, step.name, message);
        logger.warn("incident step failed", { incidentId, step: step.name, failures, errorName: (error as Error).name });
        if (failures >= settings.maxAttempts) {
          await store.incidentFailed(lease, incident, phase, step.name, message, actor);
          logger.error("incident failed", { incidentId, step: step.name, failures });
          return { kind: "failed", step: step.name, error: message };
        }
        return { kind: "retry", delaySeconds: backoffSeconds(failures, settings.retryBaseSeconds), step: step.name, failures };
      }
      if (!result.done) {
        await store.stepProgress(lease, phase, step.name, result.cursor, result.counts);
        return { kind: "continue", delaySeconds: result.delaySeconds ?? 0 };
      }
      await store.stepDone(lease, phase, step.name, result.counts);
      logger.info("incident step done", { incidentId, step: step.name, counts: result.counts });
    }
    await store.phaseDone(lease, incident, phase, actor);
    return { kind: "done", status: phase === "respond" ? "MITIGATED" : "RESOLVED" };
  } catch (error) {
    if (error instanceof LeaseLost) return { kind: "busy" };
    throw error;
  } finally {
    await store.releaseLease(lease).catch((error: Error) => logger.warn("incident lease not released; it expires", { incidentId, errorName: error.name }));
  }
}
