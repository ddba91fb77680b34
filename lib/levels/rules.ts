import { isPinned, type Level, type LevelPin } from "#lib/data/user";

// The level rules of PRODUCT.md §5, pure: NEWBIE → ACTIVE → ADVANCED by what the user has done,
// ADVANCED → ACTIVE when credit falls to POOR. ADMIN is never reached or left by a rule (staff
// decide it), nothing goes back to NEWBIE, and a level pinned by staff is left alone until its pin
// expires. Rules apply until the level is stable, so one evaluation can go NEWBIE → ADVANCED.

export const ACTIVE_MIN_COMPLETED = 3;
export const ACTIVE_MIN_ACTIVE_DAYS = 5;
/** Active days count when they fall within this many days before the evaluation (its own day included). */
export const ACTIVE_DAYS_WINDOW = 30;
export const ADVANCED_MIN_COMPLETED = 20;
const GOOD_OR_BETTER: readonly string[] = ["GOOD", "EXCELLENT"];

/** What the rules look at: the user's fields (named as on the user item) and the facts of this evaluation. */
export interface LevelInputs {
  status: string;
  level: Level;
  levelPin?: LevelPin;
  emailVerified?: boolean;
  phoneVerified?: boolean;
  identityStatus: string;
  /** Completed transactions over the account's lifetime. */
  completedTransactions: number;
  /** Distinct days with an ACTIVE_DAY event within ACTIVE_DAYS_WINDOW days. */
  activeDaysInWindow: number;
  /** The credit tier just computed (not the stored one). */
  creditTier: string;
  /** Epoch ms of the evaluation: pins are judged against it. */
  now: number;
}

export type LevelRule = "PROMOTE_TO_ACTIVE" | "PROMOTE_TO_ADVANCED" | "DEMOTE_TO_ACTIVE";

export interface LevelDecision {
  level: Level;
  changed: boolean;
  /** The rules that applied, in order, joined by "+" (e.g. PROMOTE_TO_ACTIVE+PROMOTE_TO_ADVANCED). */
  rule?: string;
  /** Why, in words fit for the user's mail ("3 completed transactions"). */
  reason?: string;
  /** A staff pin whose `until` has passed: the write that changes the level removes it. */
  stalePin: boolean;
}

interface Step {
  rule: LevelRule;
  from: Level;
  to: Level;
  /** The explanation when the rule's conditions hold, else undefined. */
  why: (i: LevelInputs) => string | undefined;
}

const STEPS: Step[] = [
  {
    rule: "PROMOTE_TO_ACTIVE",
    from: "NEWBIE",
    to: "ACTIVE",
    why: (i) => {
      if (i.emailVerified !== true && i.phoneVerified !== true) return undefined;
      if (i.completedTransactions >= ACTIVE_MIN_COMPLETED) return `${i.completedTransactions} completed transactions`;
      if (i.activeDaysInWindow >= ACTIVE_MIN_ACTIVE_DAYS) return `${i.activeDaysInWindow} active days in the last ${ACTIVE_DAYS_WINDOW} days`;
      return undefined;
    },
  },
  {
    rule: "PROMOTE_TO_ADVANCED",
    from: "ACTIVE",
    to: "ADVANCED",
    why: (i) =>
      i.identityStatus === "APPROVED" && i.completedTransactions >= ADVANCED_MIN_COMPLETED && GOOD_OR_BETTER.includes(i.creditTier)
        ? `identity verified, ${i.completedTransactions} completed transactions and ${i.creditTier} credit`
        : undefined,
  },
  { rule: "DEMOTE_TO_ACTIVE", from: "ADVANCED", to: "ACTIVE", why: (i) => (i.creditTier === "POOR" ? "credit fell to POOR" : undefined) },
];

/** The level the rules give, and why. Only an ACTIVE (in-use) account moves; ADMIN and pinned levels never do. */
export function nextLevel(inputs: LevelInputs): LevelDecision {
  const unchanged: LevelDecision = { level: inputs.level, changed: false, stalePin: false };
  if (inputs.status !== "ACTIVE" || inputs.level === "ADMIN" || isPinned(inputs.levelPin, inputs.now)) return unchanged;
  const stalePin = inputs.levelPin !== undefined;
  let level: Level = inputs.level;
  const rules: LevelRule[] = [];
  const reasons: string[] = [];
  for (;;) {
    // Each rule at most once: a level can never cycle, whatever the inputs.
    const next = STEPS.filter((s) => s.from === level && !rules.includes(s.rule))
      .map((s) => ({ step: s, why: s.why(inputs) }))
      .find((c) => c.why !== undefined);
    if (!next?.why) break;
    rules.push(next.step.rule);
    reasons.push(next.why);
    level = next.step.to;
  }
  if (level === inputs.level) return { ...unchanged, stalePin };
  return { level, changed: true, rule: rules.join("+"), reason: reasons.join("; "), stalePin };
}
