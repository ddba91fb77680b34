import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { churnSignals, DAY_MS, evaluateLifecycle, type LifecycleFacts, lastActivity, lifecycleChanged, STAGES, stageOf } from "#lib/lifecycle/rules";

// Lifecycle stages and churn-risk signals: the boundaries, the next check, and monotony in time.

const T0 = Date.UTC(2026, 0, 1);
const at = (days: number) => new Date(T0 + days * DAY_MS).toISOString();
const facts = (asOfDays: number, overrides: Partial<LifecycleFacts> = {}): LifecycleFacts => ({
  asOf: at(asOfDays),
  createdAt: at(0),
  activityAt: [],
  activeDays: [],
  complaintsAt: [],
  scores: [],
  ...overrides,
});
const day = (days: number) => at(days).slice(0, 10);

describe("the lifecycle stage", () => {
  it("is NEW for 7 days after registration, whatever the activity", () => {
    expect(evaluateLifecycle(facts(6.99)).stage).toBe("NEW");
    expect(evaluateLifecycle(facts(6.99)).nextCheckAt).toBe(at(7));
    expect(evaluateLifecycle(facts(7)).stage).toBe("ACTIVE"); // registering is the first activity
  });

  it("is ACTIVE up to 30 days after the last activity, DORMANT up to 90, CHURNED after", () => {
    const lastLogin = { activityAt: [at(20)] };
    expect(evaluateLifecycle(facts(50, lastLogin))).toMatchObject({ stage: "ACTIVE", lastActiveAt: at(20), nextCheckAt: new Date(T0 + 50 * DAY_MS + 1).toISOString() });
    expect(evaluateLifecycle(facts(50.001, lastLogin)).stage).toBe("DORMANT");
    expect(evaluateLifecycle(facts(110, lastLogin))).toMatchObject({ stage: "DORMANT", nextCheckAt: new Date(T0 + 110 * DAY_MS + 1).toISOString() });
    const churned = evaluateLifecycle(facts(110.001, lastLogin));
    expect(churned).toMatchObject({ stage: "CHURNED", churnRisk: false, reasons: [] });
    expect(churned.nextCheckAt).toBeUndefined(); // only new activity brings it back
  });

  it("takes the newest of sign-ins, active days and the stored last activity, never one after the instant evaluated", () => {
    expect(lastActivity(facts(40, { activityAt: [at(3), undefined], activeDays: [day(12), day(9)] }))).toBe(T0 + 12 * DAY_MS);
    expect(lastActivity(facts(40, { activityAt: [at(45)] }))).toBe(T0); // the test clock looking back
    expect(evaluateLifecycle(facts(40, { activeDays: [day(12)] })).stage).toBe("ACTIVE");
    expect(evaluateLifecycle(facts(60, { activeDays: [day(12)] })).stage).toBe("DORMANT");
  });

  it("only moves forward while nothing happens (NEW → ACTIVE → DORMANT → CHURNED)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 400 }), (active, a, b) => {
        const [early, late] = [Math.min(a, b), Math.max(a, b)].map((d) => d + active);
        const rank = (d: number) => STAGES.indexOf(stageOf(T0 + d * DAY_MS, T0, T0 + active * DAY_MS).stage);
        expect(rank(late as number)).toBeGreaterThanOrEqual(rank(early as number));
      }),
    );
  });

  it("is next checked exactly when it would change", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (lastActiveDay, extra) => {
        const asOf = T0 + (lastActiveDay + extra) * DAY_MS;
        const now = stageOf(asOf, T0, T0 + lastActiveDay * DAY_MS);
        if (now.changesAt === undefined) {
          expect(now.stage).toBe("CHURNED");
        } else {
          expect(stageOf(now.changesAt - 1, T0, T0 + lastActiveDay * DAY_MS).stage).toBe(now.stage);
          expect(stageOf(now.changesAt, T0, T0 + lastActiveDay * DAY_MS).stage).not.toBe(now.stage);
        }
      }),
    );
  });
});

describe("the churn-risk signals", () => {
  const busy = (from: number, to: number, every = 1) => Array.from({ length: Math.floor((to - from) / every) }, (_, i) => day(from + i * every));

  it("FALLING_ACTIVITY: the last 30 days at most half the monthly average of the 60 before (which had at least 4 a month)", () => {
    expect(churnSignals(facts(100, { activeDays: [...busy(10, 70, 3), ...busy(71, 100, 6)] }))).toEqual(["FALLING_ACTIVITY"]);
    expect(churnSignals(facts(100, { activeDays: [...busy(10, 70, 3), ...busy(71, 100, 2)] }))).toEqual([]);
    // A baseline under 4 days a month is too little to fall from.
    expect(churnSignals(facts(100, { activeDays: busy(10, 70, 10) }))).toEqual([]);
  });

  it("RECENT_COMPLAINTS: a complaint by or against the user in the last 30 days", () => {
    expect(churnSignals(facts(100, { complaintsAt: [at(75)] }))).toEqual(["RECENT_COMPLAINTS"]);
    expect(churnSignals(facts(100, { complaintsAt: [at(65)] }))).toEqual([]);
  });

  it("CREDIT_DROP: 30 points below the best score of the last 30 days, or a lower tier", () => {
    const s = (d: number, score: number, tier = "FAIR") => ({ at: at(d), score, tier });
    expect(churnSignals(facts(100, { scores: [s(80, 640), s(95, 610)] }))).toEqual(["CREDIT_DROP"]);
    expect(churnSignals(facts(100, { scores: [s(80, 640), s(95, 615)] }))).toEqual([]);
    expect(churnSignals(facts(100, { scores: [s(80, 652, "GOOD"), s(95, 645)] }))).toEqual(["CREDIT_DROP"]);
    expect(churnSignals(facts(100, { scores: [s(60, 700, "GOOD"), s(95, 600)] }))).toEqual([]); // the high is older than the window
    expect(churnSignals(facts(100, { scores: [s(80, 600), s(95, 700, "GOOD")] }))).toEqual([]); // rising
  });

  it("flags a user with any signal, says which, and looks again within a week; never a CHURNED user", () => {
    const flagged = evaluateLifecycle(facts(40, { activityAt: [at(39)], complaintsAt: [at(35)] }));
    expect(flagged).toMatchObject({ stage: "ACTIVE", churnRisk: true, reasons: ["RECENT_COMPLAINTS"], nextCheckAt: at(47) });
    expect(evaluateLifecycle(facts(200, { complaintsAt: [at(195)] }))).toMatchObject({ stage: "CHURNED", churnRisk: false });
  });
});

describe("whether an evaluation is written", () => {
  it("only when the stage, flag, reasons or last activity changed", () => {
    const now = evaluateLifecycle(facts(40));
    expect(lifecycleChanged(undefined, now)).toBe(true);
    expect(lifecycleChanged({ ...now, evaluatedAt: at(39) }, now)).toBe(false);
    expect(lifecycleChanged({ ...now, stage: "NEW" }, now)).toBe(true);
    expect(lifecycleChanged({ ...now, reasons: ["CREDIT_DROP"] }, now)).toBe(true);
  });
});
