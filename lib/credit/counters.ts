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
