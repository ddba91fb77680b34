import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expiryOf, type MonthlySums, nextExpiryOf, planExpiry, withCredit } from "#lib/rewards/expiry";

// Expiry by month, oldest first: the arithmetic checked against an explicit FIFO model of lots.

describe("when points expire", () => {
  it("at the end of the same month a year later", () => {
    expect(expiryOf("2026-05")).toBe("2027-06-01T00:00:00.000Z");
    expect(expiryOf("2026-12")).toBe("2028-01-01T00:00:00.000Z");
  });

  it("the part of the balance older than what the live months credited", () => {
    const sums = { "2025-01": 100, "2025-06": 50, "2026-01": 30 };
    // Before January 2025's credits expire: nothing.
    expect(planExpiry(120, sums, "2026-01-31T23:59:59.999Z")).toEqual({ expire: 0, sums, nextExpiryAt: "2026-02-01T00:00:00.000Z" });
    // Then: 120 − (50 + 30) = 40 of them are left to expire; the month's sum is gone.
    expect(planExpiry(120, sums, "2026-02-01T00:00:00.000Z")).toEqual({ expire: 40, sums: { "2025-06": 50, "2026-01": 30 }, nextExpiryAt: "2026-07-01T00:00:00.000Z" });
    // A balance the newer months cover (redeemed down to 60) loses nothing; the next wake-up is later.
    expect(planExpiry(60, sums, "2026-02-01T00:00:00.000Z")).toEqual({ expire: 0, sums: { "2025-06": 50, "2026-01": 30 }, nextExpiryAt: "2026-07-01T00:00:00.000Z" });
    expect(planExpiry(30, sums, "2026-02-01T00:00:00.000Z").nextExpiryAt).toBe("2027-02-01T00:00:00.000Z");
    expect(planExpiry(0, sums, "2026-02-01T00:00:00.000Z").nextExpiryAt).toBeUndefined();
  });
});

// The model: lots with their month, debits (redemptions, expiries) taking the oldest first.
const monthName = (i: number) => `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
const asOfAfter = (i: number) => new Date(Date.UTC(2024, i, 15)).toISOString(); // mid-month i

const ops = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant("credit" as const), month: fc.integer({ min: 0, max: 40 }), points: fc.integer({ min: 1, max: 50 }) }),
    fc.record({ kind: fc.constant("debit" as const), points: fc.integer({ min: 1, max: 60 }) }),
    fc.record({ kind: fc.constant("expire" as const), month: fc.integer({ min: 0, max: 60 }) }),
  ),
  { maxLength: 60 },
);

describe("against a FIFO model of lots", () => {
  it("expires exactly what FIFO leaves of lots past their expiry, and never wakes up late", () => {
    fc.assert(
      fc.property(ops, (sequence) => {
        let now = 0; // months only move forward
        const lots: { month: number; left: number }[] = [];
        let balance = 0;
        let sums: MonthlySums = {};
        let marker: string | undefined;
        for (const op of sequence) {
          if (op.kind === "credit") {
            now = Math.max(now, op.month);
            lots.push({ month: now, left: op.points });
            balance += op.points;
            sums = withCredit(sums, op.points, asOfAfter(now));
            marker = nextExpiryOf(balance, sums);
          } else if (op.kind === "debit") {
            const points = Math.min(op.points, balance); // the balance never goes negative
            let owed = points;
            for (const lot of lots) {
              const take = Math.min(lot.left, owed);
              lot.left -= take;
              owed -= take;
            }
            balance -= points;
          } else {
            now = Math.max(now, op.month);
            const asOf = asOfAfter(now);
            const expected = lots.filter((l) => expiryOf(monthName(l.month)) <= asOf).reduce((s, l) => s + l.left, 0);
            const plan = planExpiry(balance, sums, asOf);
            expect(plan.expire).toBe(expected);
            // No expiry was due before the marker said so.
            if (expected > 0) expect(marker !== undefined && marker <= asOf).toBe(true);
            for (const l of lots) if (expiryOf(monthName(l.month)) <= asOf) l.left = 0;
            balance -= plan.expire;
            sums = plan.sums;
            marker = plan.nextExpiryAt;
          }
        }
      }),
    );
  });
});
