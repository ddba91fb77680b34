import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyAccount, type RewardAccount } from "#lib/data/reward";
import type { BehaviorEvent } from "#lib/events/schema";
import { type EarningUser, planEarning } from "#lib/rewards/earning";
import { expiryOf } from "#lib/rewards/expiry";

// What events pay, pure: multipliers, caps, freezes, achievements once, and the account's sums.

const caps = { perDay: 100, perMonth: 1000 };
const at = "2026-11-20T12:00:00.000Z";
const user = (overrides: Partial<EarningUser> = {}): EarningUser => ({ userId: "u1", creditTier: "FAIR", identityStatus: "NONE", points: 0, ...overrides });
let n = 0;
const event = (type: BehaviorEvent["type"]): BehaviorEvent => ({ eventId: `e${++n}`, userId: "u1", type, occurredAt: at, attributes: {} }) as BehaviorEvent;

describe("planEarning", () => {
  it("pays the event times the tier multiplier, keyed by the event id, and schedules its expiry", () => {
    const plan = planEarning({ user: user({ creditTier: "EXCELLENT" }), account: emptyAccount("u1"), event: event("TRANSACTION_COMPLETED"), at, caps });
    expect(plan?.entries).toEqual([expect.objectContaining({ entryId: `EVENT#e${n}`, type: "EARN", points: 15, reason: "TRANSACTION_COMPLETED" })]);
    expect(plan?.credit).toBe(15);
    expect(plan?.account).toMatchObject({ version: 1, completed: 1, dayEarned: 15, earned: { "2026-11": 15 }, nextExpiryAt: expiryOf("2026-11") });
  });

  it("records a frozen user's event with 0 points and the restriction, grants no achievement, still counts it", () => {
    for (const frozen of [user({ creditTier: "POOR", emailVerified: true }), user({ rewardFreezes: new Set(["incident-1"]), emailVerified: true })]) {
      const plan = planEarning({ user: frozen, account: emptyAccount("u1"), event: event("REVIEW_GIVEN"), at, caps });
      expect(plan?.entries).toEqual([expect.objectContaining({ points: 0, reason: "REVIEW_GIVEN; REWARDS_FROZEN" })]);
      expect(plan?.credit).toBe(0);
      expect(plan?.account).toMatchObject({ reviewsGiven: 1, achievements: [], earned: {} });
      expect(plan?.account.nextExpiryAt).toBeUndefined();
    }
  });

  it("grants the achievements the user has reached, once, beside the event's entry; uncapped", () => {
    const full: RewardAccount = { ...emptyAccount("u1"), version: 4, completed: 9, capDay: "2026-11-20", dayEarned: 100, capMonth: "2026-11", monthEarned: 100 };
    const plan = planEarning({ user: user({ emailVerified: true }), account: full, event: event("TRANSACTION_COMPLETED"), at, caps });
    expect(plan?.entries.map((e) => [e.entryId, e.points, e.reason])).toEqual([
      [`EVENT#e${n}`, 0, "TRANSACTION_COMPLETED; DAILY_CAP"],
      ["ACH#FIRST_VERIFICATION", 50, "ACHIEVEMENT FIRST_VERIFICATION"],
      ["ACH#TRANSACTIONS_10", 100, "ACHIEVEMENT TRANSACTIONS_10"],
    ]);
    expect(plan?.entries[0]?.requested).toBe(10);
    expect(plan?.account).toMatchObject({ version: 5, completed: 10, achievements: ["FIRST_VERIFICATION", "TRANSACTIONS_10"], earned: { "2026-11": 150 } });
    const again = planEarning({ user: user({ emailVerified: true }), account: plan?.account as RewardAccount, event: event("TRANSACTION_COMPLETED"), at, caps });
    expect(again?.entries).toHaveLength(1);
  });

  it("has nothing to write for an event that pays nothing and no achievement due", () => {
    expect(planEarning({ user: user(), account: emptyAccount("u1"), event: event("VIOLATION"), at, caps })).toBeUndefined();
    expect(planEarning({ user: user(), account: emptyAccount("u1"), at, caps })).toBeUndefined();
    expect(planEarning({ user: user({ identityStatus: "APPROVED" }), account: emptyAccount("u1"), at, caps })?.entries.map((e) => e.entryId)).toEqual(["ACH#FIRST_APPROVED_DOCUMENT"]);
  });

  it("keeps the ledger arithmetic: balance = Σ entries = Σ monthly sums, under any sequence of events", () => {
    const types = ["TRANSACTION_COMPLETED", "REVIEW_GIVEN", "ACTIVE_DAY", "LATE_RETURN"] as const;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...types), fc.constantFrom("FAIR", "GOOD", "EXCELLENT", "POOR"), fc.integer({ min: 0, max: 2 })), { maxLength: 150 }), (steps) => {
        let account = emptyAccount("u1");
        let balance = 0;
        let ledger = 0;
        for (const [type, tier, day] of steps) {
          const when = `2026-11-0${day + 1}T08:00:00.000Z`;
          if (account.capDay && when.slice(0, 10) < account.capDay) continue;
          const plan = planEarning({ user: user({ creditTier: tier, points: balance, emailVerified: true }), account, event: event(type), at: when, caps });
          if (!plan) continue;
          ledger += plan.entries.reduce((s, e) => s + e.points, 0);
          balance += plan.credit;
          account = plan.account;
          expect(plan.entries.every((e) => e.points >= 0)).toBe(true);
        }
        expect(balance).toBe(ledger);
        expect(Object.values(account.earned).reduce((a, b) => a + b, 0)).toBe(balance);
        expect(new Set(account.achievements).size).toBe(account.achievements.length);
      }),
    );
  });
});
