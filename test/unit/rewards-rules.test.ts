import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyCaps, dueAchievements, pointsFor } from "#lib/rewards/rules";

// The earning table: amounts, tier multipliers, caps and achievements, pure.

const caps = { perDay: 100, perMonth: 1000 };
const fresh = { capDay: "", dayEarned: 0, capMonth: "", monthEarned: 0 };

describe("what an event pays", () => {
  it.each([
    ["TRANSACTION_COMPLETED", "FAIR", 10],
    ["TRANSACTION_COMPLETED", "GOOD", 12],
    ["TRANSACTION_COMPLETED", "EXCELLENT", 15],
    ["REVIEW_GIVEN", "EXCELLENT", 7], // 7.5: fractions are dropped
    ["ACTIVE_DAY", "GOOD", 2], // 2.4
    ["ACTIVE_DAY", "POOR", 2], // no multiplier (POOR users are frozen before this is asked)
    ["VIOLATION", "EXCELLENT", 0],
    ["TRANSACTION_COMPLETED", undefined, 10],
  ] as const)("%s at %s pays %i", (type, tier, points) => {
    expect(pointsFor(type, tier)).toBe(points);
  });
});

describe("caps per UTC day and month", () => {
  it("pays up to the day's room, then the rest of it, then nothing, naming the cap", () => {
    let counters = fresh;
    const paid: number[] = [];
    const reasons: (string | undefined)[] = [];
    for (let i = 0; i < 13; i++) {
      const out = applyCaps(9, counters, "2026-11-20T10:00:00.000Z", caps);
      paid.push(out.points);
      reasons.push(out.cappedBy);
      counters = out.counters;
    }
    expect(paid).toEqual([9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 1, 0]);
    expect(reasons.slice(10)).toEqual([undefined, "DAILY_CAP", "DAILY_CAP"]);
    expect(counters).toEqual({ capDay: "2026-11-20", dayEarned: 100, capMonth: "2026-11", monthEarned: 100 });
  });

  it("a new day starts a new day's room, inside the same month's", () => {
    const full = { capDay: "2026-11-20", dayEarned: 100, capMonth: "2026-11", monthEarned: 995 };
    expect(applyCaps(10, full, "2026-11-21T00:00:01.000Z", caps)).toMatchObject({ points: 5, cappedBy: "MONTHLY_CAP" });
    expect(applyCaps(10, full, "2026-12-01T00:00:01.000Z", caps)).toMatchObject({ points: 10, counters: { dayEarned: 10, monthEarned: 10 } });
  });

  it("never pays more than asked, nor past either cap, over any sequence of days", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 3 })), { maxLength: 200 }), (attempts) => {
        let counters = fresh;
        const byDay = new Map<string, number>();
        let month = 0;
        for (const [requested, dayOffset] of attempts) {
          const at = `2026-11-${String(1 + dayOffset).padStart(2, "0")}T12:00:00.000Z`;
          // Days only move forward in this model (counters hold the current day).
          if (counters.capDay && at.slice(0, 10) < counters.capDay) continue;
          const out = applyCaps(requested, counters, at, caps);
          expect(out.points).toBeGreaterThanOrEqual(0);
          expect(out.points).toBeLessThanOrEqual(requested);
          expect(out.cappedBy === undefined).toBe(out.points === requested);
          byDay.set(at.slice(0, 10), (byDay.get(at.slice(0, 10)) ?? 0) + out.points);
          month += out.points;
          counters = out.counters;
        }
        for (const total of byDay.values()) expect(total).toBeLessThanOrEqual(caps.perDay);
        expect(month).toBeLessThanOrEqual(caps.perMonth);
      }),
    );
  });
});

describe("achievements", () => {
  const base = { completed: 0, reviewsGiven: 0, held: [] as string[] };
  it("are reached by the user's state and counts, and due only once", () => {
    expect(dueAchievements({ ...base, emailVerified: true })).toEqual(["FIRST_VERIFICATION"]);
    expect(dueAchievements({ ...base, phoneVerified: true, identityStatus: "APPROVED" })).toEqual(["FIRST_VERIFICATION", "FIRST_APPROVED_DOCUMENT"]);
    expect(dueAchievements({ ...base, completed: 9, reviewsGiven: 1 })).toEqual(["FIRST_REVIEW_GIVEN"]);
    expect(dueAchievements({ ...base, completed: 100 })).toEqual(["TRANSACTIONS_10", "TRANSACTIONS_100"]);
    expect(dueAchievements({ ...base, completed: 150, held: ["TRANSACTIONS_10", "TRANSACTIONS_100"] })).toEqual([]);
    expect(dueAchievements({ ...base, identityStatus: "PENDING_REVIEW", emailVerified: false })).toEqual([]);
  });
});
