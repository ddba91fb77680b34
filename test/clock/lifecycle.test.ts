import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { behaviourEvent, send } from "#test/steps/behavior-events";
import { nightly, type NightlyRunOutput } from "#test/steps/commands";
import { fileComplaint } from "#test/steps/complaints";
import { eventually } from "#test/steps/eventually";
import { given } from "#test/steps/given";
import { table } from "#test/steps/table";
import { call } from "#test/steps/when";

// Lifecycle stages moved by `npm run nightly -- --as-of <ISO>` (the test clock, local stage only):
// NEW for a week, ACTIVE while the last activity is at most 30 days old, DORMANT to 90, CHURNED
// after; activity brings a user back, and a complaint raises the churn-risk flag. Serial, on the
// clock tests' own stack: each run moves every due user of the stack through time.

type Staff = Awaited<ReturnType<typeof given.aSignedInStaffMember>>;
let admin: Staff;
const DAY = 86_400_000;

beforeAll(async () => {
  admin = await given.aSignedInStaffMember(["admin"]);
});

const lifecycleOf = async (userId: string) => {
  const res = await call("GET", `/admin/users/${userId}`, { token: admin.tokens.accessToken });
  expect(res.status, res.text).toBe(200);
  return res.body.lifecycle as { stage: string; churnRisk: boolean; reasons: string[]; lastActiveAt: string } | null;
};
const stepOf = (run: NightlyRunOutput) => run.steps.find((s) => s.name === "lifecycle");
const runAt = async (at: number) => {
  const run = await nightly({}, { asOf: new Date(at).toISOString() });
  const step = stepOf(run);
  expect(step?.status, JSON.stringify(run)).toBe("OK");
  return step?.counts ?? {};
};
const dueEntry = async (userId: string) =>
  (await table().client.send(new GetCommand({ TableName: table().name, Key: { PK: `USER#${userId}`, SK: "LIFECYCLE_DUE" }, ConsistentRead: true }))).Item;
const analytics = async () => (await call("GET", "/admin/analytics", { token: admin.tokens.accessToken })).body as { users: number; byLifecycle: Record<string, number> };

describe("lifecycle stages by the nightly job, with the test clock", () => {
  it("NEW → ACTIVE → DORMANT → CHURNED as time passes without activity; a rerun changes nothing", { timeout: 300_000 }, async () => {
    const { user } = await given.aSignedInUser();
    const t0 = Date.now();
    expect(await lifecycleOf(user.userId)).toBeNull(); // not evaluated yet (counted as NEW)

    expect((await runAt(t0 + 3_600_000)).due).toBeGreaterThanOrEqual(1);
    expect(await lifecycleOf(user.userId)).toMatchObject({ stage: "NEW", churnRisk: false, reasons: [] });
    // Not due again before the week is over.
    const due = Date.parse(String((await dueEntry(user.userId))?.dueAt));
    expect(due).toBeGreaterThan(t0 + 7 * DAY - 120_000);
    expect(due).toBeLessThanOrEqual(t0 + 7 * DAY);

    await runAt(t0 + 8 * DAY);
    expect((await lifecycleOf(user.userId))?.stage).toBe("ACTIVE");

    await runAt(t0 + 40 * DAY);
    expect((await lifecycleOf(user.userId))?.stage).toBe("DORMANT");
    const again = await runAt(t0 + 40 * DAY);
    expect(again.changed).toBe(0);
    const counted = await eventually(analytics, (a) => (a.byLifecycle.DORMANT ?? 0) >= 1, "a DORMANT user counted");
    expect(Object.values(counted.byLifecycle).reduce((a, b) => a + b, 0)).toBe(counted.users);

    await runAt(t0 + 100 * DAY);
    expect(await lifecycleOf(user.userId)).toMatchObject({ stage: "CHURNED", churnRisk: false });
    // Out of the index: only new activity brings it back.
    expect((await dueEntry(user.userId))?.GSI2PK).toBeUndefined();
    await runAt(t0 + 200 * DAY);
    expect((await lifecycleOf(user.userId))?.stage).toBe("CHURNED");
  });

  it("activity makes a user due again, and a recent complaint flags the churn risk with its reason", { timeout: 240_000 }, async () => {
    const { user, tokens } = await given.aSignedInUser();
    const t0 = Date.now();
    await runAt(t0 + 100 * DAY);
    expect((await lifecycleOf(user.userId))?.stage).toBe("CHURNED");

    // Today's activity and a complaint, seen by a night 10 days on (the clock looks back: the
    // events are real-time, so the night that sees them fresh is one near now).
    await send(behaviourEvent(user.userId, "ACTIVE_DAY"));
    await eventually(() => dueEntry(user.userId), (item) => item?.GSI2PK !== undefined, "the user marked due by the event");
    await fileComplaint(tokens.accessToken, { category: "SERVICE", channel: "APP" });
    await runAt(t0 + 10 * DAY);
    const lifecycle = await lifecycleOf(user.userId);
    expect(lifecycle).toMatchObject({ stage: "ACTIVE", churnRisk: true, reasons: ["RECENT_COMPLAINTS"] });
    // Flagged: looked at again within a week.
    expect(Date.parse(String((await dueEntry(user.userId))?.dueAt))).toBeLessThanOrEqual(t0 + 17 * DAY + 1000);
  });
});
