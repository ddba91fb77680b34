// Lifecycle stage and churn risk: pure rules, no I/O (lib/lifecycle/evaluate.ts reads the facts).
//
// Stage, from the instant of the evaluation (`asOf`):
//   NEW      registered less than 7 days ago;
//   ACTIVE   last activity at most 30 days ago;
//   DORMANT  last activity 30–90 days ago;
//   CHURNED  last activity more than 90 days ago.
// Activity is a sign-in or an ACTIVE_DAY behaviour event (its UTC day); registering counts as the
// first activity. Stages move by the passage of time alone, so each evaluation also says when the
// stage can next change (`nextCheckAt`): the user's next entry in the lifecycle-due index.
//
// Churn risk (a flag with the reasons that raised it), for users not already CHURNED:
//   FALLING_ACTIVITY  active days in the last 30 days at most half the monthly average of the 60
//                     days before, which had at least MIN_BASELINE_DAYS a month;
//   RECENT_COMPLAINTS a complaint filed by or against the user in the last 30 days;
//   CREDIT_DROP       the score fell by CREDIT_DROP_POINTS or more, or to a lower tier, within the
//                     last 30 days (newest score against the highest of the window).
// A flagged user is evaluated again within a week, so a flag whose reasons have aged out clears.

export const STAGES = ["NEW", "ACTIVE", "DORMANT", "CHURNED"] as const;
export type Stage = (typeof STAGES)[number];
export const CHURN_REASONS = ["FALLING_ACTIVITY", "RECENT_COMPLAINTS", "CREDIT_DROP"] as const;
export type ChurnReason = (typeof CHURN_REASONS)[number];

export const DAY_MS = 86_400_000;
export const NEW_DAYS = 7;
export const ACTIVE_DAYS = 30;
export const CHURNED_DAYS = 90;
/** The window of the churn signals. */
export const SIGNAL_DAYS = 30;
export const MIN_BASELINE_DAYS = 4;
export const CREDIT_DROP_POINTS = 30;
/** How soon a flagged user is looked at again. */
export const RECHECK_FLAGGED_DAYS = 7;

const TIER_RANK: Record<string, number> = { POOR: 0, FAIR: 1, GOOD: 2, EXCELLENT: 3 };

export interface LifecycleFacts {
  asOf: string;
  createdAt: string;
  /** Instants of known activity (last sign-in, the last stored activity); any may be absent. */
  activityAt: (string | undefined)[];
  /** UTC days (YYYY-MM-DD) with an ACTIVE_DAY event, as kept on the credit counters. */
  activeDays: string[];
  /** When complaints filed by or against the user were filed. */
  complaintsAt: string[];
  /** Score history, any order. */
  scores: { at: string; score: number; tier: string }[];
}

export interface Lifecycle {
  stage: Stage;
  churnRisk: boolean;
  reasons: ChurnReason[];
  lastActiveAt: string;
  evaluatedAt: string;
  /** When the stage or the flag can next change; undefined: only new activity can change it (CHURNED, not flagged). */
  nextCheckAt?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** The latest activity: the newest of the instants, the active days (their start) and the registration. */
export function lastActivity(facts: Pick<LifecycleFacts, "createdAt" | "activityAt" | "activeDays" | "asOf">): number {
  const asOf = Date.parse(facts.asOf);
  const candidates = [Date.parse(facts.createdAt), ...facts.activityAt.map((a) => (a ? Date.parse(a) : NaN)), ...facts.activeDays.map(dayStart)];
  // Activity after the instant evaluated for does not count yet (the test clock may look back).
  const known = candidates.filter((t) => Number.isFinite(t) && t <= asOf);
  return known.length ? Math.max(...known) : Date.parse(facts.createdAt);
}

/** The stage at asOf, and when it can next change by time alone. */
export function stageOf(asOf: number, createdAt: number, lastActive: number): { stage: Stage; changesAt?: number } {
  if (asOf < createdAt + NEW_DAYS * DAY_MS) return { stage: "NEW", changesAt: createdAt + NEW_DAYS * DAY_MS };
  const idle = asOf - lastActive;
  if (idle <= ACTIVE_DAYS * DAY_MS) return { stage: "ACTIVE", changesAt: lastActive + ACTIVE_DAYS * DAY_MS + 1 };
  if (idle <= CHURNED_DAYS * DAY_MS) return { stage: "DORMANT", changesAt: lastActive + CHURNED_DAYS * DAY_MS + 1 };
  return { stage: "CHURNED" };
}

/** Distinct active days in [asOf − to days, asOf − from days). */
const daysBetween = (days: string[], asOf: number, fromDays: number, toDays: number) =>
  new Set(days.filter((d) => dayStart(d) <= asOf - fromDays * DAY_MS && dayStart(d) > asOf - toDays * DAY_MS)).size;

/** The churn signals present at asOf. */
export function churnSignals(facts: LifecycleFacts): ChurnReason[] {
  const asOf = Date.parse(facts.asOf);
  const since = asOf - SIGNAL_DAYS * DAY_MS;
  const reasons: ChurnReason[] = [];
  const recent = daysBetween(facts.activeDays, asOf, 0, SIGNAL_DAYS);
  const baseline = daysBetween(facts.activeDays, asOf, SIGNAL_DAYS, 3 * SIGNAL_DAYS) / 2;
  if (baseline >= MIN_BASELINE_DAYS && recent <= baseline / 2) reasons.push("FALLING_ACTIVITY");
  if (facts.complaintsAt.some((at) => Date.parse(at) > since && Date.parse(at) <= asOf)) reasons.push("RECENT_COMPLAINTS");
  const window = facts.scores.filter((s) => Date.parse(s.at) > since && Date.parse(s.at) <= asOf).sort((a, b) => a.at.localeCompare(b.at));
  const newest = window.at(-1);
  if (newest) {
    const highest = window.reduce((best, s) => (s.score > best.score ? s : best), newest);
    const tierFell = window.some((s) => (TIER_RANK[s.tier] ?? 0) > (TIER_RANK[newest.tier] ?? 0));
    if (highest.score - newest.score >= CREDIT_DROP_POINTS || tierFell) reasons.push("CREDIT_DROP");
  }
  return reasons;
}

/** Stage, flag, reasons and the next check of one user. */
export function evaluateLifecycle(facts: LifecycleFacts): Lifecycle {
  const asOf = Date.parse(facts.asOf);
  const lastActive = lastActivity(facts);
  const { stage, changesAt } = stageOf(asOf, Date.parse(facts.createdAt), lastActive);
  const reasons = stage === "CHURNED" ? [] : churnSignals(facts);
  const churnRisk = reasons.length > 0;
  const recheck = churnRisk ? asOf + RECHECK_FLAGGED_DAYS * DAY_MS : undefined;
  const next = [changesAt, recheck].filter((t): t is number => t !== undefined);
  return {
    stage,
    churnRisk,
    reasons,
    lastActiveAt: iso(lastActive),
    evaluatedAt: facts.asOf,
    ...(next.length ? { nextCheckAt: iso(Math.min(...next)) } : {}),
  };
}

/** Did anything staff or the analytics see change (the evaluation time and next check aside)? */
export const lifecycleChanged = (before: Partial<Lifecycle> | undefined, after: Lifecycle) =>
  before?.stage !== after.stage || before?.churnRisk !== after.churnRisk || (before?.reasons ?? []).join() !== after.reasons.join() || before?.lastActiveAt !== after.lastActiveAt;
