import type { BehaviorEvent, BehaviorEventType } from "#lib/events/schema";

// Per-user counters live in monthly buckets so the score can weigh recent behaviour more (decay)
// without keeping or re-reading every event. An event adds to a few flat attributes of the
// user's CREDIT item; the score model only ever sees { metric, month, count } triples.

export const METRICS = [
  "COMPLETED",
  "CANCELLED",
  "LATE_RETURNS",
  "REVIEWS_RECEIVED",
  "LOW_RATINGS",
  "GOOD_RATINGS",
  "REVIEWS_GIVEN",
  "VIOLATION_POINTS",
  "COMPLAINTS_UPHELD",
  "ACTIVE_DAYS",
] as const;
export type Metric = (typeof METRICS)[number];

/** Violation points by severity: one critical violation weighs as much as eight minor ones. */
export const SEVERITY_POINTS = { LOW: 1, MEDIUM: 2, HIGH: 4, CRITICAL: 8 } as const;

export interface Bucket {
  metric: Metric;
  /** YYYY-MM (UTC). */
  month: string;
  count: number;
}

export const monthOf = (iso: string) => new Date(iso).toISOString().slice(0, 7);

/** What one event adds to the counters. */
export function incrementsOf(event: BehaviorEvent): Partial<Record<Metric, number>> {
  switch (event.type) {
    case "TRANSACTION_COMPLETED":
      return { COMPLETED: 1 };
    case "TRANSACTION_CANCELLED":
      return { CANCELLED: 1 };
    case "LATE_RETURN":
      return { LATE_RETURNS: 1 };
    case "REVIEW_RECEIVED":
      return {
        REVIEWS_RECEIVED: 1,
        ...(event.attributes.rating <= 2 ? { LOW_RATINGS: 1 } : {}),
        ...(event.attributes.rating >= 4 ? { GOOD_RATINGS: 1 } : {}),
      };
    case "REVIEW_GIVEN":
      return { REVIEWS_GIVEN: 1 };
    case "VIOLATION":
      return { VIOLATION_POINTS: SEVERITY_POINTS[event.attributes.severity] };
    case "COMPLAINT_UPHELD":
      return { COMPLAINTS_UPHELD: 1 };
    case "ACTIVE_DAY":
      return { ACTIVE_DAYS: 1 };
  }
}

const BUCKET_PREFIX = "m.";
const TOTAL_PREFIX = "t.";

/** Attribute names on the CREDIT item: `m.<metric>.<YYYY-MM>` buckets and `t.<event type>` totals. */
export const bucketAttribute = (metric: Metric, month: string) => `${BUCKET_PREFIX}${metric}.${month}`;
export const totalAttribute = (type: BehaviorEventType) => `${TOTAL_PREFIX}${type}`;

/** The buckets stored on a CREDIT item. */
export function bucketsOf(item: Record<string, unknown> | undefined): Bucket[] {
  const buckets: Bucket[] = [];
  for (const [name, value] of Object.entries(item ?? {})) {
    if (!name.startsWith(BUCKET_PREFIX) || typeof value !== "number") continue;
    const [metric, month] = name.slice(BUCKET_PREFIX.length).split(".") as [Metric, string];
    if ((METRICS as readonly string[]).includes(metric) && month) buckets.push({ metric, month, count: value });
  }
  return buckets;
}

/** Lifetime count per event type, for GET /me/credit. */
export function totalsOf(item: Record<string, unknown> | undefined): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const [name, value] of Object.entries(item ?? {})) {
    if (name.startsWith(TOTAL_PREFIX) && typeof value === "number") totals[name.slice(TOTAL_PREFIX.length)] = value;
  }
  return totals;
}

// Active days, exact: each ACTIVE_DAY event adds its UTC day (YYYY-MM-DD) to a string set per
// month, `activeDays.<YYYY-MM>`, so a day counts once however many events name it. A set per
// month, not one set, because DynamoDB refuses ADD and DELETE on one attribute in one update:
// this way the write that adds a day also REMOVEs the sets of the year before the three months a
// 30-day window can touch, so the item holds about three months of days (≈ 1 KB at most) with
// no extra write. Only a user silent for over a year leaves an old set behind (ignored by the reader).

const ACTIVE_DAYS_PREFIX = "activeDays.";
/** Months kept: the event's month and the two before it (a 31-day window reaches back at most that far). */
const ACTIVE_DAY_MONTHS_KEPT = 3;
/** How far back each ACTIVE_DAY write removes older sets (REMOVE of a missing attribute is free): a year. */
const ACTIVE_DAY_MONTHS_PRUNED = 12;

export const activeDaysAttribute = (month: string) => `${ACTIVE_DAYS_PREFIX}${month}`;
export const dayOf = (iso: string) => new Date(iso).toISOString().slice(0, 10);

const shiftMonth = (yyyyMm: string, by: number) => {
  const d = new Date(`${yyyyMm}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + by);
  return d.toISOString().slice(0, 7);
};

/** The months whose day sets a write for `month` removes: the year before the kept ones. */
export const prunedActiveDayMonths = (month: string) =>
  Array.from({ length: ACTIVE_DAY_MONTHS_PRUNED }, (_, i) => shiftMonth(month, -(ACTIVE_DAY_MONTHS_KEPT + i)));

/** Is a day old enough at receipt that it can never count again (so it is not stored)? */
export const isOutsideKeptMonths = (day: string, receivedAt: string) => day.slice(0, 7) < shiftMonth(monthOf(receivedAt), 1 - ACTIVE_DAY_MONTHS_KEPT);

const DAY_MS = 86_400_000;

/** Distinct active days from `windowDays` days before asOf's UTC day up to it (and any dated ahead). */
export function activeDaysWithin(item: Record<string, unknown> | undefined, asOf: string, windowDays: number): number {
  const first = new Date(Date.parse(`${dayOf(asOf)}T00:00:00Z`) - windowDays * DAY_MS).toISOString().slice(0, 10);
  const days = new Set<string>();
  for (const [name, value] of Object.entries(item ?? {})) {
    if (!name.startsWith(ACTIVE_DAYS_PREFIX) || !(value instanceof Set)) continue;
    for (const day of value) if (typeof day === "string" && day >= first) days.add(day);
  }
  return days.size;
}

/** Every active day kept on the counters item (YYYY-MM-DD), the months' sets merged. */
export function activeDaysOf(item: Record<string, unknown> | undefined): string[] {
  const days = new Set<string>();
  for (const [name, value] of Object.entries(item ?? {})) {
    if (name.startsWith(ACTIVE_DAYS_PREFIX) && value instanceof Set) for (const day of value) if (typeof day === "string") days.add(day);
  }
  return [...days];
}

/** Completed transactions over the account's lifetime (the lifetime total, never decayed). */
export const completedTransactionsOf = (item: Record<string, unknown> | undefined) => totalsOf(item).TRANSACTION_COMPLETED ?? 0;
