import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { activeDaysAttribute, activeDaysWithin, completedTransactionsOf, isOutsideKeptMonths, prunedActiveDayMonths } from "#lib/credit/counters";
import type { Level } from "#lib/data/user";
import { ACTIVE_DAYS_WINDOW, type LevelInputs, nextLevel } from "#lib/levels/rules";

// The level rules of PRODUCT.md §5 at their boundaries, and the properties they must keep.

const NOW = Date.UTC(2026, 10, 20, 18, 0, 0);
const TIERS = ["POOR", "FAIR", "GOOD", "EXCELLENT"] as const;

/** A verified, active NEWBIE with nothing done yet. */
const inputs = (overrides: Partial<LevelInputs> = {}): LevelInputs => ({
  status: "ACTIVE",
  level: "NEWBIE",
  emailVerified: true,
  identityStatus: "NONE",
  completedTransactions: 0,
  activeDaysInWindow: 0,
  creditTier: "FAIR",
  now: NOW,
  ...overrides,
});
/** An ACTIVE user who meets everything ADVANCED asks for. */
const readyForAdvanced = (overrides: Partial<LevelInputs> = {}) =>
  inputs({ level: "ACTIVE", identityStatus: "APPROVED", completedTransactions: 20, creditTier: "GOOD", ...overrides });
const levelOf = (overrides: Partial<LevelInputs>) => nextLevel(inputs(overrides)).level;

describe("NEWBIE → ACTIVE: a verified contact and (3 completed transactions or 5 active days in 30)", () => {
  it.each([
    [2, "NEWBIE"],
    [3, "ACTIVE"],
  ])("%i completed transactions → %s", (completed, level) => {
    expect(levelOf({ completedTransactions: completed })).toBe(level);
  });

  it.each([
    [4, "NEWBIE"],
    [5, "ACTIVE"],
  ])("%i active days → %s", (days, level) => {
    expect(levelOf({ activeDaysInWindow: days })).toBe(level);
  });

  it("explains the promotion in words for the mail, naming the rule", () => {
    expect(nextLevel(inputs({ completedTransactions: 3 }))).toEqual({ level: "ACTIVE", changed: true, rule: "PROMOTE_TO_ACTIVE", reason: "3 completed transactions", stalePin: false });
    expect(nextLevel(inputs({ activeDaysInWindow: 5 })).reason).toBe("5 active days in the last 30 days");
  });

  it("needs a verified e-mail or phone: neither verified stays NEWBIE, either one is enough", () => {
    expect(levelOf({ emailVerified: false, completedTransactions: 50, activeDaysInWindow: 30 })).toBe("NEWBIE");
    expect(levelOf({ emailVerified: undefined, phoneVerified: true, completedTransactions: 3 })).toBe("ACTIVE");
  });

  it("moves only an account in use: pending and suspended accounts keep their level", () => {
    expect(levelOf({ status: "SUSPENDED", completedTransactions: 3 })).toBe("NEWBIE");
    expect(levelOf({ status: "PENDING_VERIFICATION", completedTransactions: 3 })).toBe("NEWBIE");
  });
});

describe("ACTIVE → ADVANCED: documents approved, 20 completed transactions, credit GOOD or better", () => {
  it.each([
    ["19 completed", { completedTransactions: 19 }, "ACTIVE"],
    ["20 completed", { completedTransactions: 20 }, "ADVANCED"],
    ["FAIR credit", { creditTier: "FAIR" }, "ACTIVE"],
    ["GOOD credit", { creditTier: "GOOD" }, "ADVANCED"],
    ["EXCELLENT credit", { creditTier: "EXCELLENT" }, "ADVANCED"],
    ["documents in review", { identityStatus: "PENDING_REVIEW" }, "ACTIVE"],
    ["documents rejected", { identityStatus: "REJECTED" }, "ACTIVE"],
  ])("%s → %s", (_name, overrides, level) => {
    expect(nextLevel(readyForAdvanced(overrides)).level).toBe(level);
  });

  it("takes a NEWBIE who meets both steps straight to ADVANCED in one evaluation, with both reasons", () => {
    expect(nextLevel(readyForAdvanced({ level: "NEWBIE" }))).toEqual({
      level: "ADVANCED",
      changed: true,
      rule: "PROMOTE_TO_ACTIVE+PROMOTE_TO_ADVANCED",
      reason: "20 completed transactions; identity verified, 20 completed transactions and GOOD credit",
      stalePin: false,
    });
  });

  it("does not skip ACTIVE's own condition: an unverified NEWBIE stays NEWBIE whatever else holds", () => {
    expect(nextLevel(readyForAdvanced({ level: "NEWBIE", emailVerified: false })).level).toBe("NEWBIE");
  });
});

describe("ADVANCED → ACTIVE when credit is POOR; nothing ever demotes to NEWBIE", () => {
  it.each([
    ["POOR", "ACTIVE"],
    ["FAIR", "ADVANCED"],
  ])("an ADVANCED user with %s credit → %s", (tier, level) => {
    expect(levelOf({ level: "ADVANCED", creditTier: tier })).toBe(level);
  });

  it("says why", () => {
    expect(nextLevel(inputs({ level: "ADVANCED", creditTier: "POOR" }))).toMatchObject({ rule: "DEMOTE_TO_ACTIVE", reason: "credit fell to POOR" });
  });

  it("keeps an ACTIVE user with POOR credit and nothing done ACTIVE", () => {
    expect(levelOf({ level: "ACTIVE", creditTier: "POOR", emailVerified: false })).toBe("ACTIVE");
  });
});

describe("ADMIN and pinned levels", () => {
  it("never touches ADMIN, whatever the credit or the activity", () => {
    expect(nextLevel(inputs({ level: "ADMIN", creditTier: "POOR" }))).toEqual({ level: "ADMIN", changed: false, stalePin: false });
    expect(levelOf({ level: "ADMIN", completedTransactions: 0, emailVerified: false })).toBe("ADMIN");
  });

  it("leaves a pinned level alone, for good or until `until`", () => {
    const pin = { by: "staff-1", at: "2026-11-01T00:00:00.000Z" };
    expect(nextLevel(inputs({ completedTransactions: 50, levelPin: pin }))).toEqual({ level: "NEWBIE", changed: false, stalePin: false });
    expect(levelOf({ level: "ADVANCED", creditTier: "POOR", levelPin: { ...pin, until: new Date(NOW + 1).toISOString() } })).toBe("ADVANCED");
  });

  it("applies the rules again once the pin has expired, and says the pin is stale", () => {
    const expired = { by: "staff-1", at: "2026-11-01T00:00:00.000Z", until: new Date(NOW).toISOString() };
    expect(nextLevel(inputs({ level: "ADVANCED", creditTier: "POOR", levelPin: expired }))).toMatchObject({ level: "ACTIVE", changed: true, stalePin: true });
    expect(nextLevel(inputs({ levelPin: expired }))).toEqual({ level: "NEWBIE", changed: false, stalePin: true });
  });
});

describe("properties", () => {
  const level = fc.constantFrom<Level>("NEWBIE", "ACTIVE", "ADVANCED", "ADMIN");
  const anyInputs = fc.record({
    status: fc.constantFrom("ACTIVE", "SUSPENDED", "PENDING_VERIFICATION"),
    level,
    emailVerified: fc.option(fc.boolean(), { nil: undefined }),
    phoneVerified: fc.option(fc.boolean(), { nil: undefined }),
    identityStatus: fc.constantFrom("NONE", "PENDING_REVIEW", "APPROVED", "REJECTED"),
    completedTransactions: fc.nat(60),
    activeDaysInWindow: fc.nat(31),
    creditTier: fc.constantFrom(...TIERS),
    now: fc.constant(NOW),
    levelPin: fc.option(
      fc.record({ by: fc.constant("staff-1"), at: fc.constant("2026-11-01T00:00:00.000Z"), until: fc.option(fc.integer({ min: -5, max: 5 }).map((d) => new Date(NOW + d * 86_400_000).toISOString()), { nil: undefined }) }, { requiredKeys: ["by", "at"] }),
      { nil: undefined },
    ),
  });
  const rank = { NEWBIE: 0, ACTIVE: 1, ADVANCED: 2, ADMIN: 3 } as const;

  it("never gives ADMIN unless given ADMIN, and never takes it away", () => {
    fc.assert(fc.property(anyInputs, (i) => (nextLevel(i).level === "ADMIN") === (i.level === "ADMIN")));
  });

  it("is idempotent: evaluating the result again changes nothing", () => {
    fc.assert(
      fc.property(anyInputs, (i) => {
        const once = nextLevel(i);
        const twice = nextLevel({ ...i, level: once.level });
        return twice.level === once.level && !twice.changed;
      }),
    );
  });

  it("is monotone in completed transactions: more never gives a lower level", () => {
    fc.assert(
      fc.property(anyInputs, fc.nat(40), (i, more) => rank[nextLevel({ ...i, completedTransactions: i.completedTransactions + more }).level] >= rank[nextLevel(i).level]),
    );
  });

  it("never demotes to NEWBIE, and changes nothing while pinned", () => {
    fc.assert(
      fc.property(anyInputs, (i) => {
        const decision = nextLevel(i);
        if (i.level !== "NEWBIE" && decision.level === "NEWBIE") return false;
        const pinned = i.levelPin !== undefined && (i.levelPin.until === undefined || Date.parse(i.levelPin.until) > NOW);
        return !pinned || !decision.changed;
      }),
    );
  });

  it("says changed exactly when the level differs, and then always with a rule and a reason", () => {
    fc.assert(
      fc.property(anyInputs, (i) => {
        const d = nextLevel(i);
        return d.changed === (d.level !== i.level) && (!d.changed || (Boolean(d.rule) && Boolean(d.reason)));
      }),
    );
  });
});

describe("the counters the rules read", () => {
  const ASOF = "2026-11-20T18:00:00.000Z";
  const counters = (days: string[]) => {
    const item: Record<string, unknown> = {};
    for (const day of days) {
      const name = activeDaysAttribute(day.slice(0, 7));
      item[name] = new Set([...((item[name] as Set<string>) ?? []), day]);
    }
    return item;
  };

  it("counts a day 30 days before asOf's day, not one 31 days before", () => {
    expect(activeDaysWithin(counters(["2026-10-21"]), ASOF, ACTIVE_DAYS_WINDOW)).toBe(1); // 30 days before 2026-11-20
    expect(activeDaysWithin(counters(["2026-10-20"]), ASOF, ACTIVE_DAYS_WINDOW)).toBe(0); // 31 days before
  });

  it("counts distinct days across the month sets, including asOf's own day and one dated ahead", () => {
    expect(activeDaysWithin(counters(["2026-10-25", "2026-10-31", "2026-11-01", "2026-11-20", "2026-11-21"]), ASOF, ACTIVE_DAYS_WINDOW)).toBe(5);
    expect(activeDaysWithin(undefined, ASOF, ACTIVE_DAYS_WINDOW)).toBe(0);
    expect(activeDaysWithin({ "m.ACTIVE_DAYS.2026-11": 9 }, ASOF, ACTIVE_DAYS_WINDOW)).toBe(0); // the monthly count is not a day set
  });

  it("takes the lifetime total of completed transactions, not the decayed buckets", () => {
    expect(completedTransactionsOf({ "t.TRANSACTION_COMPLETED": 21, "m.COMPLETED.2020-01": 21 })).toBe(21);
    expect(completedTransactionsOf(undefined)).toBe(0);
  });

  it("prunes the year of month sets before the three kept, across a year boundary", () => {
    const pruned = prunedActiveDayMonths("2026-02");
    expect(pruned).toHaveLength(12);
    expect(pruned[0]).toBe("2025-11");
    expect(pruned.at(-1)).toBe("2024-12");
    expect(pruned).not.toContain("2025-12");
  });

  it("does not store a day too old to ever count again", () => {
    expect(isOutsideKeptMonths("2026-09-01", ASOF)).toBe(false);
    expect(isOutsideKeptMonths("2026-08-31", ASOF)).toBe(true);
  });
});
