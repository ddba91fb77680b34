// What each item contributes to the analytics counters: pure, no I/O. The stream consumer
// (lib/analytics/apply.ts) adds `contributions(new) − contributions(old)` for every change of a
// user or feedback item, so the counters always equal the sum over the items as they are now,
// whichever code path changed them (registration, verification, the credit recompute, levels,
// staff changes, the lifecycle step, deletion, TTL).
//
// A user counts once verified and until deleted (status ACTIVE or SUSPENDED), under its level,
// credit tier and lifecycle stage (NEW until the nightly step first evaluates it: a verified
// account is less than a day old), plus `churnRisk` when flagged. A registration is counted once,
// on the day (UTC) the account was created, when it is verified (PENDING_VERIFICATION → ACTIVE);
// staff accounts created by ops are users, not registrations. Feedback counts by its rating.

export const LEVELS = ["NEWBIE", "ACTIVE", "ADVANCED", "ADMIN"] as const;
export const TIERS = ["EXCELLENT", "GOOD", "FAIR", "POOR"] as const;
export const LIFECYCLE_STAGES = ["NEW", "ACTIVE", "DORMANT", "CHURNED"] as const;
export const RATINGS = [1, 2, 3, 4, 5] as const;

type Image = Record<string, unknown> | undefined;
export type Counts = Record<string, number>;

export interface Delta {
  counts: Counts;
  /** Registrations by UTC day (YYYY-MM-DD). */
  days: Counts;
}

const COUNTED_STATUSES = new Set(["ACTIVE", "SUSPENDED"]);

/** The counter attributes an item adds 1 (or the rating) to. */
export function contributions(image: Image): Counts {
  if (!image) return {};
  if (image.entity === "USER" && COUNTED_STATUSES.has(String(image.status))) {
    const lifecycle = (image.lifecycle ?? {}) as { stage?: string; churnRisk?: boolean };
    return {
      users: 1,
      [`level_${String(image.level)}`]: 1,
      [`tier_${String(image.creditTier)}`]: 1,
      [`lifecycle_${lifecycle.stage ?? "NEW"}`]: 1,
      ...(lifecycle.churnRisk ? { churnRisk: 1 } : {}),
    };
  }
  const rating = Number(image.rating);
  if (image.entity === "FEEDBACK" && Number.isInteger(rating) && rating >= 1 && rating <= 5) {
    return { feedback_count: 1, feedback_sum: rating, [`feedback_r${rating}`]: 1 };
  }
  return {};
}

/** What a change (old image → new image; either may be absent) adds to the counters. */
export function deltaOf(oldImage: Image, newImage: Image): Delta {
  const counts: Counts = {};
  for (const [name, n] of Object.entries(contributions(newImage))) counts[name] = (counts[name] ?? 0) + n;
  for (const [name, n] of Object.entries(contributions(oldImage))) counts[name] = (counts[name] ?? 0) - n;
  for (const name of Object.keys(counts)) if (counts[name] === 0) delete counts[name];
  const verified = oldImage?.entity === "USER" && oldImage.status === "PENDING_VERIFICATION" && newImage?.entity === "USER" && COUNTED_STATUSES.has(String(newImage.status));
  const days: Counts = verified && typeof newImage.createdAt === "string" ? { [newImage.createdAt.slice(0, 10)]: 1 } : {};
  return { counts, days };
}

export const isEmpty = (delta: Delta) => Object.keys(delta.counts).length === 0 && Object.keys(delta.days).length === 0;

/** Several deltas as one. */
export function merged(deltas: Delta[]): Delta {
  const out: Delta = { counts: {}, days: {} };
  for (const d of deltas) {
    for (const [k, n] of Object.entries(d.counts)) out.counts[k] = (out.counts[k] ?? 0) + n;
    for (const [k, n] of Object.entries(d.days)) out.days[k] = (out.days[k] ?? 0) + n;
  }
  return out;
}

export interface AnalyticsReport {
  users: number;
  byLevel: Record<string, number>;
  byTier: Record<string, number>;
  byLifecycle: Record<string, number>;
  churnRisk: number;
  registrationsPerDay: { date: string; count: number }[];
  feedbackRatings: { counts: Record<string, number>; total: number; average: number | null };
  generatedAt: string;
}

/** The report from the summed counter shards and the per-day registrations, for the 30 days up to `now`. */
export function reportOf(totals: Counts, days: Counts, now: Date, dayCount = 30): AnalyticsReport {
  const of = (name: string) => totals[name] ?? 0;
  const pick = (prefix: string, keys: readonly (string | number)[]) => Object.fromEntries(keys.map((k) => [String(k), of(`${prefix}${k}`)]));
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  const registrationsPerDay = Array.from({ length: dayCount }, (_, i) => {
    const date = new Date(today - (dayCount - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    return { date, count: days[date] ?? 0 };
  });
  const total = of("feedback_count");
  return {
    users: of("users"),
    byLevel: pick("level_", LEVELS),
    byTier: pick("tier_", TIERS),
    byLifecycle: pick("lifecycle_", LIFECYCLE_STAGES),
    churnRisk: of("churnRisk"),
    registrationsPerDay,
    feedbackRatings: { counts: pick("feedback_r", RATINGS), total, average: total > 0 ? Math.round((of("feedback_sum") / total) * 100) / 100 : null },
    generatedAt: now.toISOString(),
  };
}
