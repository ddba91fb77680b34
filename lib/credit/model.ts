import type { Bucket, Metric } from "#lib/credit/counters";
import { entitlementsOf, NEW_USER_CREDIT, type Tier, tierOf } from "#lib/credit/entitlements";

// The credit score: 350–950, a weighted sum of five factor scores, each between 0 and 1:
//
//   score = round(350 + 600 × Σ weight_f × s_f)
//
// Every s_f is built from saturating curves (1 − e^(−x/k), e^(−x/k)) of decayed counts, so each is
// monotone in its inputs, can never leave [0, 1], and no single factor can push the score out of
// range. A new user (no events, identity not verified) scores 600 FAIR:
// 600 × (0.25 × 2/3 + 0.25 × 1) = 250.

export const SCORE_MIN = 350;
export const SCORE_MAX = 950;
export const NEW_USER_SCORE = NEW_USER_CREDIT.score;

export const FACTOR_WEIGHTS = {
  identity: 0.2,
  fulfilment: 0.25,
  behaviour: 0.25,
  contribution: 0.15,
  activity: 0.15,
} as const;
export type FactorName = keyof typeof FACTOR_WEIGHTS;

/** Half-life of an event's weight, in months; buckets older than the horizon no longer count. */
export const HALF_LIFE_MONTHS = 6;
export const HORIZON_MONTHS = 36;

export interface CreditInputs {
  identityVerified: boolean;
  buckets: Bucket[];
  /** The moment the score is for (decay is measured from its month). */
  asOf: string;
}

export interface ReasonCode {
  code: string;
  text: string;
}

export interface CreditResult {
  score: number;
  /** The score before rounding: tests compare it where one event moves less than a point. */
  exact: number;
  tier: Tier;
  factors: { name: FactorName; score: number; weight: number }[];
  reasonCodes: ReasonCode[];
  reasons: string[];
  entitlements: string[];
  restrictions: string[];
}

const monthIndex = (yyyyMm: string) => Number(yyyyMm.slice(0, 4)) * 12 + Number(yyyyMm.slice(5, 7)) - 1;

/** Weight of a bucket `age` months old: 1 this month, ½ after HALF_LIFE_MONTHS, 0 past the horizon. */
export function decayWeight(ageMonths: number): number {
  const age = Math.max(0, ageMonths); // a bucket dated ahead (clock skew) counts as this month
  return age > HORIZON_MONTHS ? 0 : 0.5 ** (age / HALF_LIFE_MONTHS);
}

/** Σ count × decay weight, per metric. */
export function decayedTotals(buckets: Bucket[], asOf: string): Record<Metric, number> {
  const now = monthIndex(asOf.slice(0, 7));
  const totals = {} as Record<Metric, number>;
  for (const b of buckets) {
    if (!Number.isFinite(b.count) || b.count <= 0) continue;
    totals[b.metric] = (totals[b.metric] ?? 0) + b.count * decayWeight(now - monthIndex(b.month));
  }
  return totals;
}

const grow = (x: number, k: number) => 1 - Math.exp(-x / k); // 0 → 1 as x grows
const shrink = (x: number, k: number) => Math.exp(-x / k); // 1 → 0 as x grows

/** The five factor scores (0–1) from decayed counts. */
export function factorScores(inputs: CreditInputs): Record<FactorName, number> {
  const d = decayedTotals(inputs.buckets, inputs.asOf);
  const n = (m: Metric) => d[m] ?? 0;
  const lowShare = n("REVIEWS_RECEIVED") > 0 ? Math.min(1, n("LOW_RATINGS") / n("REVIEWS_RECEIVED")) : 0;
  return {
    identity: inputs.identityVerified ? 1 : 0,
    // Benefit of the doubt (2/3) for a newcomer, rising with completed transactions; cancellations
    // and late returns (twice as bad) multiply it down.
    fulfilment: (2 / 3 + (1 / 3) * grow(n("COMPLETED"), 8)) * shrink(n("CANCELLED") + 2 * n("LATE_RETURNS"), 10),
    // Clean record = 1; violation points and upheld complaints (3 points each) cut it down
    // exponentially; a high share of low ratings takes up to 30 % off.
    behaviour: shrink(n("VIOLATION_POINTS") + 3 * n("COMPLAINTS_UPHELD"), 4) * (1 - 0.3 * lowShare),
    contribution: grow(n("REVIEWS_GIVEN") + n("GOOD_RATINGS"), 10),
    activity: grow(n("ACTIVE_DAYS") + n("COMPLETED"), 20),
  };
}

/** Why the score is not higher: factors ordered by the points they leave on the table. */
function reasonsFor(inputs: CreditInputs, s: Record<FactorName, number>): ReasonCode[] {
  const d = decayedTotals(inputs.buckets, inputs.asOf);
  const n = (m: Metric) => d[m] ?? 0;
  const why: Record<FactorName, ReasonCode> = {
    identity: { code: "IDENTITY_NOT_VERIFIED", text: "Your identity is not verified yet; verify an ID document." },
    fulfilment:
      n("CANCELLED") + n("LATE_RETURNS") > 0.05
        ? { code: "CANCELLATIONS_OR_LATE_RETURNS", text: "Recent cancellations or late returns." }
        : { code: "FEW_COMPLETED_TRANSACTIONS", text: "Few completed transactions so far." },
    behaviour:
      n("VIOLATION_POINTS") + n("COMPLAINTS_UPHELD") > 0.05
        ? { code: "RECENT_VIOLATIONS", text: "Recent rule violations or upheld complaints against you." }
        : { code: "LOW_RATINGS", text: "Some recent low ratings from other users." },
    contribution: { code: "LOW_CONTRIBUTION", text: "Few reviews given or good ratings received." },
    activity: { code: "LOW_ACTIVITY", text: "Little recent activity on the platform." },
  };
  return (Object.keys(FACTOR_WEIGHTS) as FactorName[])
    .map((f) => ({ f, gap: FACTOR_WEIGHTS[f] * (1 - s[f]) * (SCORE_MAX - SCORE_MIN) }))
    .filter((x) => x.gap >= 1) // a point or more
    .sort((a, b) => b.gap - a.gap || a.f.localeCompare(b.f))
    .slice(0, 4)
    .map((x) => why[x.f]);
}

/** The score, deterministic: the same inputs always give the same result. */
export function computeCredit(inputs: CreditInputs): CreditResult {
  const s = factorScores(inputs);
  const weighted = (Object.keys(FACTOR_WEIGHTS) as FactorName[]).reduce((sum, f) => sum + FACTOR_WEIGHTS[f] * s[f], 0);
  const exact = Math.min(SCORE_MAX, Math.max(SCORE_MIN, SCORE_MIN + (SCORE_MAX - SCORE_MIN) * weighted));
  const score = Math.round(exact);
  const tier = tierOf(score);
  const reasonCodes = reasonsFor(inputs, s);
  return {
    score,
    exact,
    tier,
    factors: (Object.keys(FACTOR_WEIGHTS) as FactorName[]).map((name) => ({ name, score: Math.round(s[name] * 100), weight: FACTOR_WEIGHTS[name] })),
    reasonCodes,
    reasons: reasonCodes.map((r) => r.text),
    ...entitlementsOf(tier),
  };
}
