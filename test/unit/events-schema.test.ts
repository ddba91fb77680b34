import { describe, expect, it } from "vitest";
import { incrementsOf } from "#lib/credit/counters";
import { parseBehaviorEvent } from "#lib/events/schema";

const event = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ eventId: "e-1", userId: "u-1", type: "TRANSACTION_COMPLETED", occurredAt: "2026-05-01T10:00:00Z", attributes: {}, ...overrides });

describe("behaviour event validation", () => {
  it("accepts every event type of the contract, with extra fields", () => {
    for (const [type, attributes] of Object.entries({
      TRANSACTION_COMPLETED: { orderRef: "o-1" },
      TRANSACTION_CANCELLED: {},
      LATE_RETURN: {},
      REVIEW_RECEIVED: { rating: 2 },
      REVIEW_GIVEN: {},
      VIOLATION: { severity: "HIGH" },
      ACTIVE_DAY: {},
      COMPLAINT_UPHELD: {},
    })) {
      const parsed = parseBehaviorEvent(event({ type, attributes, producer: "orders" }));
      expect(parsed.ok, `${type}: ${JSON.stringify(parsed)}`).toBe(true);
    }
  });

  it("rejects unknown types, missing attributes, bad dates and non-JSON, naming fields but never values", () => {
    const cases = [
      event({ type: "FREE_CREDIT" }),
      event({ type: "REVIEW_RECEIVED", attributes: { rating: 9 } }),
      event({ type: "VIOLATION", attributes: {} }),
      event({ occurredAt: "yesterday" }),
      event({ userId: "" }),
      event({ occurredAt: new Date(Date.now() + 3 * 86_400_000).toISOString() }),
      "{not json",
    ];
    for (const body of cases) {
      const parsed = parseBehaviorEvent(body);
      expect(parsed.ok, body).toBe(false);
      if (!parsed.ok) expect(parsed.reason).not.toContain("yesterday");
    }
  });

  it("turns events into counter increments (severity weighs, ratings split low/good)", () => {
    const parse = (body: string) => {
      const p = parseBehaviorEvent(body);
      if (!p.ok) throw new Error(p.reason);
      return p.event;
    };
    expect(incrementsOf(parse(event({ type: "VIOLATION", attributes: { severity: "CRITICAL" } })))).toEqual({ VIOLATION_POINTS: 8 });
    expect(incrementsOf(parse(event({ type: "REVIEW_RECEIVED", attributes: { rating: 1 } })))).toEqual({ REVIEWS_RECEIVED: 1, LOW_RATINGS: 1 });
    expect(incrementsOf(parse(event({ type: "REVIEW_RECEIVED", attributes: { rating: 5 } })))).toEqual({ REVIEWS_RECEIVED: 1, GOOD_RATINGS: 1 });
  });
});
