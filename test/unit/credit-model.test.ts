import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Bucket, METRICS, type Metric } from "#lib/credit/counters";
import { tierOf } from "#lib/credit/entitlements";
import { computeCredit, type CreditInputs, FACTOR_WEIGHTS, factorScores, NEW_USER_SCORE, SCORE_MAX, SCORE_MIN } from "#lib/credit/model";

const AS_OF = "2026-06-15T00:00:00.000Z";
const monthsBack = (n: number) => {
  const d = new Date(Date.UTC(2026, 5 - n, 1));
  return d.toISOString().slice(0, 7);
};

const bucket = fc.record({
  metric: fc.constantFrom(...METRICS),
  month: fc.integer({ min: -2, max: 48 }).map(monthsBack),
  count: fc.integer({ min: 1, max: 60 }),
});
const inputs = fc.record({
  identityVerified: fc.boolean(),
  buckets: fc.array(bucket, { maxLength: 30 }),
  asOf: fc.constant(AS_OF),
}) as fc.Arbitrary<CreditInputs>;

const withEvents = (base: CreditInputs, metric: Metric, count: number, ageMonths = 0): CreditInputs => ({
  ...base,
  buckets: [...base.buckets, { metric, month: monthsBack(ageMonths), count } satisfies Bucket],
});

describe("credit score model", () => {
  it("gives a new user 600 FAIR, with weights that sum to 1", () => {
    const result = computeCredit({ identityVerified: false, buckets: [], asOf: AS_OF });
    expect(result.score).toBe(NEW_USER_SCORE);
    expect(result.tier).toBe("FAIR");
    expect(result.reasonCodes.map((r) => r.code)).toContain("IDENTITY_NOT_VERIFIED");
    expect(Object.values(FACTOR_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it("always stays within 350–950, whatever the inputs, and the tier matches the score", () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const r = computeCredit(i);
        expect(r.score).toBeGreaterThanOrEqual(SCORE_MIN);
        expect(r.score).toBeLessThanOrEqual(SCORE_MAX);
        expect(r.tier).toBe(tierOf(r.score));
        for (const f of r.factors) {
          expect(f.score).toBeGreaterThanOrEqual(0);
          expect(f.score).toBeLessThanOrEqual(100);
        }
      }),
    );
  });

  it("keeps within range even when one factor is pushed to its extreme", () => {
    fc.assert(
      fc.property(inputs, fc.constantFrom(...METRICS), fc.integer({ min: 1, max: 1_000_000 }), (i, metric, n) => {
        const r = computeCredit(withEvents(i, metric, n));
        expect(r.score).toBeGreaterThanOrEqual(SCORE_MIN);
        expect(r.score).toBeLessThanOrEqual(SCORE_MAX);
      }),
    );
  });

  it("is deterministic: the same inputs give the same result, in any bucket order", () => {
    fc.assert(
      fc.property(inputs, (i) => {
        expect(computeCredit(i)).toEqual(computeCredit(structuredClone(i)));
        expect(computeCredit({ ...i, buckets: [...i.buckets].reverse() }).score).toBe(computeCredit(i).score);
      }),
    );
  });

  it("never lowers the score for more completed transactions", () => {
    fc.assert(
      fc.property(inputs, fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 40 }), (i, n, age) => {
        const before = computeCredit(i);
        const after = computeCredit(withEvents(i, "COMPLETED", n, age));
        expect(after.score).toBeGreaterThanOrEqual(before.score);
        expect(after.exact).toBeGreaterThanOrEqual(before.exact);
      }),
    );
  });

  it("lowers the score for a violation or an upheld complaint", () => {
    fc.assert(
      fc.property(inputs, fc.constantFrom<Metric>("VIOLATION_POINTS", "COMPLAINTS_UPHELD"), fc.integer({ min: 0, max: 12 }), (i, metric, age) => {
        // Unless the behaviour factor is already at its floor (a score cannot fall below 350).
        fc.pre(factorScores(i).behaviour > 1e-3);
        const before = computeCredit(i);
        const after = computeCredit(withEvents(i, metric, 1, age));
        expect(after.exact).toBeLessThan(before.exact);
        expect(after.score).toBeLessThanOrEqual(before.score);
      }),
    );
    // Visible in whole points for an ordinary user, not only in the exact value.
    const ordinary = { identityVerified: true, buckets: [{ metric: "COMPLETED" as Metric, month: monthsBack(1), count: 10 }], asOf: AS_OF };
    expect(computeCredit(withEvents(ordinary, "VIOLATION_POINTS", 2)).score).toBeLessThan(computeCredit(ordinary).score - 10);
    expect(computeCredit(withEvents(ordinary, "COMPLAINTS_UPHELD", 1)).score).toBeLessThan(computeCredit(ordinary).score - 10);
  });

  it("weighs recent behaviour more than old", () => {
    fc.assert(
      fc.property(
        inputs,
        fc.constantFrom<Metric>("COMPLETED", "VIOLATION_POINTS", "COMPLAINTS_UPHELD", "LATE_RETURNS", "ACTIVE_DAYS"),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 5 }),
        (i, metric, recentAge, gap, n) => {
          const base = computeCredit(i).exact;
          const recentEffect = Math.abs(computeCredit(withEvents(i, metric, n, recentAge)).exact - base);
          const oldEffect = Math.abs(computeCredit(withEvents(i, metric, n, recentAge + gap)).exact - base);
          expect(recentEffect).toBeGreaterThanOrEqual(oldEffect);
        },
      ),
    );
    const clean = { identityVerified: true, buckets: [], asOf: AS_OF };
    const recent = computeCredit(withEvents(clean, "VIOLATION_POINTS", 4, 0)).score;
    const old = computeCredit(withEvents(clean, "VIOLATION_POINTS", 4, 18)).score;
    expect(recent).toBeLessThan(old);
  });

  it("explains why the score is not higher, and maps tiers to their effects", () => {
    const poor = computeCredit({ identityVerified: false, buckets: [{ metric: "VIOLATION_POINTS", month: monthsBack(0), count: 16 }], asOf: AS_OF });
    expect(poor.tier).toBe("POOR");
    expect(poor.restrictions).toEqual(["DEPOSIT_REQUIRED", "LIMITED_LISTINGS", "REWARDS_FROZEN"]);
    expect(poor.reasonCodes[0]?.code).toBe("RECENT_VIOLATIONS");
    const star = computeCredit({
      identityVerified: true,
      buckets: (["COMPLETED", "REVIEWS_GIVEN", "GOOD_RATINGS", "ACTIVE_DAYS"] as Metric[]).map((metric) => ({ metric, month: monthsBack(0), count: 80 })),
      asOf: AS_OF,
    });
    expect(star.tier).toBe("EXCELLENT");
    expect(star.entitlements).toEqual(["DEPOSIT_FREE", "PRIORITY_SERVICE", "REWARD_MULTIPLIER_1_5"]);
    expect(tierOf(749)).toBe("GOOD");
    expect(tierOf(650)).toBe("GOOD");
    expect(tierOf(549)).toBe("POOR");
  });
});
