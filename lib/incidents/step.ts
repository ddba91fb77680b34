import type { IncidentRecord, Phase } from "#lib/data/incident";
import type { Lease } from "#lib/incidents/records";

// What a runbook step is, and what it may use. Runbooks (lib/incidents/runbooks.ts) are ordered
// lists of these; the engine (engine.ts) records each before and after it runs. A step must be
// idempotent: it may run again after a crash, a redelivery or a retry, and must then neither
// repeat a measure nor lose one (each measure is recorded once: effects.ts).

export interface StepContext {
  incident: IncidentRecord;
  phase: Phase;
  /** The incident's lease this invocation holds (incident-wide writes are conditional on it). */
  lease: Lease;
  /** Who the measures are taken for: the requester of the incident (or of its resolve). */
  actor: string;
  /** The step's saved position (JSON), when an earlier run got part of the way. */
  cursor?: string;
  /** The step's counts so far. */
  counts: Record<string, number>;
  /** Milliseconds this invocation may still work before it hands over. */
  timeLeft(): number;
  /** Saves the position and counts under the lease: a process taking over starts from there. */
  saveProgress(cursor: string, counts: Record<string, number>): Promise<void>;
}

export type StepResult =
  | { done: true; counts: Record<string, number> }
  /** Not finished: go on in a later invocation (after `delaySeconds`), from `cursor`. */
  | { done: false; counts: Record<string, number>; cursor: string; delaySeconds?: number };

export interface RunbookStep {
  name: string;
  run(context: StepContext): Promise<StepResult>;
}

export interface Runbook {
  /** The response, in order. */
  respond: RunbookStep[];
  /** Recovery, run by a resolve: lifts this incident's temporary measures and writes the report. */
  resolve: RunbookStep[];
}

/** Adds one outcome to a step's counts. */
export const tally = (counts: Record<string, number>, outcome: string, by = 1) => void (counts[outcome] = (counts[outcome] ?? 0) + by);
