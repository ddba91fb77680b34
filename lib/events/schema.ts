import * as z from "zod/mini";

// The behavior-events queue contract (shared/API.md): { eventId, userId, type, occurredAt, attributes }.
// Producers may add fields; unknown types and missing or out-of-range attributes are rejected.

const id = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9._:-]+$/));
const base = { eventId: id, userId: id, occurredAt: z.iso.datetime({ offset: true }) };
const anyAttributes = z._default(z.looseObject({}), {});

export const VIOLATION_SEVERITIES = ["LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;

export const behaviorEventSchema = z.discriminatedUnion("type", [
  z.object({ ...base, type: z.literal("TRANSACTION_COMPLETED"), attributes: anyAttributes }),
  z.object({ ...base, type: z.literal("TRANSACTION_CANCELLED"), attributes: anyAttributes }),
  z.object({ ...base, type: z.literal("LATE_RETURN"), attributes: anyAttributes }),
  z.object({ ...base, type: z.literal("REVIEW_RECEIVED"), attributes: z.looseObject({ rating: z.number().check(z.int(), z.gte(1), z.lte(5)) }) }),
  z.object({ ...base, type: z.literal("REVIEW_GIVEN"), attributes: anyAttributes }),
  z.object({ ...base, type: z.literal("VIOLATION"), attributes: z.looseObject({ severity: z.enum(VIOLATION_SEVERITIES) }) }),
  z.object({ ...base, type: z.literal("ACTIVE_DAY"), attributes: anyAttributes }),
  // From the complaints workflow when a complaint against this user is resolved as UPHELD.
  z.object({ ...base, type: z.literal("COMPLAINT_UPHELD"), attributes: anyAttributes }),
]);

export type BehaviorEvent = z.infer<typeof behaviorEventSchema>;
export type BehaviorEventType = BehaviorEvent["type"];
export const BEHAVIOR_EVENT_TYPES: BehaviorEventType[] = [
  "TRANSACTION_COMPLETED",
  "TRANSACTION_CANCELLED",
  "LATE_RETURN",
  "REVIEW_RECEIVED",
  "REVIEW_GIVEN",
  "VIOLATION",
  "ACTIVE_DAY",
  "COMPLAINT_UPHELD",
];

/** Events dated further ahead than this are refused: a producer's clock must not buy future credit. */
const MAX_CLOCK_SKEW_MS = 24 * 3600 * 1000;

export type ParsedEvent = { ok: true; event: BehaviorEvent } | { ok: false; reason: string };

/**
 * Parses one queue message body. The reason names fields and rules only, never values, so it can
 * be logged and attached to the dead-lettered message without leaking what the producer sent.
 */
export function parseBehaviorEvent(body: string, now = Date.now()): ParsedEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: "body is not JSON" };
  }
  const result = behaviorEventSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.code}`);
    return { ok: false, reason: issues.join("; ").slice(0, 500) };
  }
  if (Date.parse(result.data.occurredAt) > now + MAX_CLOCK_SKEW_MS) return { ok: false, reason: "occurredAt: in the future" };
  return { ok: true, event: result.data };
}
