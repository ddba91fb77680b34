import type { BehaviorEventType } from "#lib/events/schema";

// The rewards rules in one table: what each behaviour pays, the credit-tier multipliers and the
// achievements. Caps and the grant approval threshold are settings (lib/config.ts `rewards`), so
// each stage can move them without a code change.

/** Points per event type before the tier multiplier; other types pay nothing. */
export const EARNING: Partial<Record<BehaviorEventType, number>> = {
  TRANSACTION_COMPLETED: 10,
  REVIEW_GIVEN: 5,
  ACTIVE_DAY: 2,
};

/** Tier multipliers in tenths (integer arithmetic: 12 × 1.2 must not come out as 14.399999). */
export const TIER_MULTIPLIER_TENTHS: Record<string, number> = { EXCELLENT: 15, GOOD: 12 };

export const ACHIEVEMENTS = {
  FIRST_VERIFICATION: { points: 50, title: "Verified your e-mail or phone" },
  FIRST_APPROVED_DOCUMENT: { points: 100, title: "First approved identity document" },
  TRANSACTIONS_10: { points: 100, title: "10 completed transactions" },
  TRANSACTIONS_100: { points: 500, title: "100 completed transactions" },
  FIRST_REVIEW_GIVEN: { points: 20, title: "First review given" },
} as const;

export type AchievementId = keyof typeof ACHIEVEMENTS;
export const ACHIEVEMENT_IDS = Object.keys(ACHIEVEMENTS) as AchievementId[];
export const isAchievement = (id: string): id is AchievementId => Object.hasOwn(ACHIEVEMENTS, id);

export interface Caps {
  perDay: number;
  perMonth: number;
}

/** Does this event type pay (or count toward an achievement)? */
export const earns = (type: BehaviorEventType) => EARNING[type] !== undefined;

/** What an event pays at a credit tier: whole points, fractions dropped. */
export const pointsFor = (type: BehaviorEventType, tier: string | undefined) =>
  Math.floor(((EARNING[type] ?? 0) * (TIER_MULTIPLIER_TENTHS[tier ?? ""] ?? 10)) / 10);

export interface CapCounters {
  capDay: string;
  dayEarned: number;
  capMonth: string;
  monthEarned: number;
}

export type CapReason = "DAILY_CAP" | "MONTHLY_CAP";

/**
 * Cuts an automatic earning to what is left of the user's day and month (UTC) at `at`: a partly
 * capped attempt pays the rest of the room, one past the cap pays 0; either says which cap.
 */
export function applyCaps(requested: number, counters: CapCounters, at: string, caps: Caps): { points: number; cappedBy?: CapReason; counters: CapCounters } {
  const day = at.slice(0, 10);
  const month = at.slice(0, 7);
  const dayEarned = counters.capDay === day ? counters.dayEarned : 0;
  const monthEarned = counters.capMonth === month ? counters.monthEarned : 0;
  const dayRoom = Math.max(0, caps.perDay - dayEarned);
  const monthRoom = Math.max(0, caps.perMonth - monthEarned);
  const points = Math.max(0, Math.min(requested, dayRoom, monthRoom));
  const cappedBy: CapReason | undefined = points < requested ? (dayRoom <= monthRoom ? "DAILY_CAP" : "MONTHLY_CAP") : undefined;
  return { points, ...(cappedBy ? { cappedBy } : {}), counters: { capDay: day, dayEarned: dayEarned + points, capMonth: month, monthEarned: monthEarned + points } };
}

export interface AchievementInputs {
  emailVerified?: boolean;
  phoneVerified?: boolean;
  identityStatus?: string;
  completed: number;
  reviewsGiven: number;
  held: readonly string[];
}

/**
 * The achievements the user has reached and does not hold yet. Thresholds are "at least", so one
 * not granted while rewards were frozen is granted at the next chance after the freeze.
 */
export function dueAchievements(inputs: AchievementInputs): AchievementId[] {
  const reached: Record<AchievementId, boolean> = {
    FIRST_VERIFICATION: inputs.emailVerified === true || inputs.phoneVerified === true,
    FIRST_APPROVED_DOCUMENT: inputs.identityStatus === "APPROVED",
    TRANSACTIONS_10: inputs.completed >= 10,
    TRANSACTIONS_100: inputs.completed >= 100,
    FIRST_REVIEW_GIVEN: inputs.reviewsGiven >= 1,
  };
  return ACHIEVEMENT_IDS.filter((id) => reached[id] && !inputs.held.includes(id));
}
