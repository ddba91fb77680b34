import { beforeAll, describe, expect, it } from "vitest";
import { eventually } from "#test/steps/eventually";
import { given } from "#test/steps/given";
import { ageRegistration } from "#test/steps/table";
import { expectProblem, latestCode } from "#test/steps/then";
import { call, when } from "#test/steps/when";
import type { AnalyticsReport } from "#lib/analytics/counts";

// GET /admin/analytics over HTTP, against the counters the table's stream keeps. Other test files
// create, promote and delete users on the same stack at the same time, so the figures are checked
// where only this file's users can move them (a registration day 23 days back), by what must hold
// at any instant (each counted user is in exactly one level, tier and stage), and as deltas.

type Report = AnalyticsReport;

const DAY = 86_400_000;
type Staff = Awaited<ReturnType<typeof given.aSignedInStaffMember>>;
let ops: Staff;
let reviewer: Staff;

beforeAll(async () => {
  [ops, reviewer] = await Promise.all([given.aSignedInStaffMember(["ops"]), given.aSignedInStaffMember(["reviewer"])]);
});

async function report(): Promise<Report> {
  const res = await call<Report>("GET", "/admin/analytics", { token: ops.tokens.accessToken });
  expect(res.status, res.text).toBe(200);
  return res.body;
}
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const registrationsOn = (r: Report, date: string) => r.registrationsPerDay.find((d) => d.date === date)?.count ?? NaN;

/** A user registered `daysAgo` days back (its createdAt moved while pending), then verified and signed in now. */
async function aUserRegistered(daysAgo: number) {
  const user = await given.aRegisteredUser();
  if (daysAgo > 0) await ageRegistration(user.userId, daysAgo * DAY / 1000);
  const verified = await when.verify(user.email, await latestCode(user.email));
  expect(verified.status, verified.text).toBe(200);
  const login = await when.login(user.username, user.password);
  expect(login.status, login.text).toBe(200);
  return { user, token: login.body.accessToken as string };
}

describe("GET /admin/analytics", () => {
  it("is for holders of analytics:read only", async () => {
    const { tokens } = await given.aSignedInUser();
    expectProblem(await call("GET", "/admin/analytics", { token: tokens.accessToken }), 403, "STAFF_ONLY");
    expectProblem(await call("GET", "/admin/analytics", { token: reviewer.tokens.accessToken }), 403, "FORBIDDEN");
    expect((await call("GET", "/admin/analytics")).status).toBe(401);
  });

  it("counts the users a test registers on their registration day, in one level, tier and stage each, and their feedback ratings", { timeout: 120_000 }, async () => {
    const before = await report();
    expect(before.registrationsPerDay).toHaveLength(30);
    const today = new Date().toISOString().slice(0, 10);
    const back = new Date(Date.now() - 23 * DAY).toISOString().slice(0, 10);

    const old = await aUserRegistered(23);
    const fresh = await aUserRegistered(0);
    expect((await call("POST", "/feedback", { token: old.token, body: { topic: "Bikes", body: "Brakes were great.", rating: 5 } })).status).toBe(201);
    expect((await call("POST", "/feedback", { token: fresh.token, body: { topic: "App", body: "Crashed twice.", rating: 1 } })).status).toBe(201);
    expect((await call("POST", "/feedback", { token: fresh.token, body: { topic: "App", body: "No rating here." } })).status).toBe(201);

    // The stream consumer counts within moments.
    const after = await eventually(
      report,
      (r) => registrationsOn(r, back) === registrationsOn(before, back) + 1 && r.feedbackRatings.counts["1"]! > before.feedbackRatings.counts["1"]! && r.feedbackRatings.counts["5"]! > before.feedbackRatings.counts["5"]!,
      "the test's users and feedback counted",
    );
    // Only this file registers accounts 23 days back: exactly one more that day.
    expect(registrationsOn(after, back)).toBe(registrationsOn(before, back) + 1);
    expect(registrationsOn(after, today)).toBeGreaterThanOrEqual(registrationsOn(before, today) + 1);
    expect(after.feedbackRatings.total - before.feedbackRatings.total).toBeGreaterThanOrEqual(2);

    // Every counted user in exactly one level, one tier and one stage; every rating counted once.
    for (const r of [before, after]) {
      expect(sum(r.byLevel)).toBe(r.users);
      expect(sum(r.byTier)).toBe(r.users);
      expect(sum(r.byLifecycle)).toBe(r.users);
      expect(sum(r.feedbackRatings.counts)).toBe(r.feedbackRatings.total);
      expect(r.churnRisk).toBeLessThanOrEqual(r.users);
    }
    expect(after.feedbackRatings.average).toBeGreaterThanOrEqual(1);
    expect(after.feedbackRatings.average).toBeLessThanOrEqual(5);

    // The staff view of a user shows where they stand (stage NEW until the first nightly evaluation).
    const viewed = await call("GET", `/admin/users/${old.user.userId}`, { token: ops.tokens.accessToken });
    expect(viewed.status, viewed.text).toBe(200);
    expect(viewed.body.lifecycle).toBeNull();
  });
});
