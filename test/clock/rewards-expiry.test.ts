import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { expiryOf, monthOf } from "#lib/rewards/expiry";
import { nightly } from "#test/steps/commands";
import { given } from "#test/steps/given";
import { rewards, setLevel } from "#test/steps/rewards";
import { mailsMatching, mailsTo } from "#test/steps/then";
import { when } from "#test/steps/when";

// Expiry by `npm run nightly -- --as-of <ISO>` (the test clock, local stage only): points earned
// this month expire when the same month a year later has ended. Serial, on the clock tests' own
// stack: a run a year ahead moves every user of the stack through time.

type Staff = Awaited<ReturnType<typeof given.aSignedInStaffMember>>;
let admin: Staff;
const HOUR = 3_600_000;

beforeAll(async () => {
  admin = await given.aSignedInStaffMember(["admin"]);
});

async function aUserWithPoints(points: number, redeemed: number) {
  const { user, tokens } = await given.aSignedInUser();
  await setLevel(admin.tokens.accessToken, user.userId, "ACTIVE");
  expect((await rewards.grant(admin.tokens.accessToken, { userId: user.userId, points, reason: "Launch bonus" })).status).toBe(201);
  if (redeemed > 0) expect((await rewards.redeem(tokens.accessToken, { points: redeemed }, randomUUID())).status).toBe(201);
  return { user, token: tokens.accessToken };
}
const stepOf = (run: Awaited<ReturnType<typeof nightly>>) => run.steps.find((s) => s.name === "rewards-expiry");

describe("points expiry by the nightly job, with the test clock", () => {
  it("expires the unspent points a year after their month, once, mailed; a spent balance expires nothing", { timeout: 240_000 }, async () => {
    const keeper = await aUserWithPoints(100, 30);
    const spender = await aUserWithPoints(50, 50);
    const expiresAt = expiryOf(monthOf(new Date().toISOString()));
    expect((await rewards.view(keeper.token)).nextExpiry).toEqual({ at: expiresAt, points: 70 });

    const before = await nightly({}, { asOf: new Date(Date.parse(expiresAt) - HOUR).toISOString() });
    expect(stepOf(before)?.status).toBe("OK");
    expect((await when.getMe(keeper.token)).body.points).toBe(70);

    const asOf = new Date(Date.parse(expiresAt) + HOUR).toISOString();
    const run = await nightly({}, { asOf });
    const step = stepOf(run);
    expect(step?.status, JSON.stringify(run)).toBe("OK");
    expect(step?.counts.due).toBeGreaterThanOrEqual(2);
    expect(step?.counts.expiredUsers).toBeGreaterThanOrEqual(1);

    const view = await rewards.view(keeper.token);
    expect(view.balance).toBe(0);
    expect(view.ledger[0]).toMatchObject({ type: "EXPIRE", points: -70, at: asOf });
    expect(view.nextExpiry).toBeNull();
    expect((await when.getMe(keeper.token)).body.points).toBe(0);
    const [mail] = await mailsMatching(keeper.user.email, /70 of your points expired/);
    expect(mail?.body.text).toContain("Your balance is now 0 points");

    expect((await rewards.view(spender.token)).ledger.map((e) => e.type)).toEqual(["REDEEM", "ADJUST"]);
    expect((await mailsTo(spender.user.email)).filter((m) => /expired/.test(m.subject))).toEqual([]);

    // Again for the same instant: nothing is due any more, nothing expires twice.
    const again = stepOf(await nightly({}, { asOf }));
    expect(again?.status).toBe("OK");
    expect((await rewards.view(keeper.token)).ledger.filter((e) => e.type === "EXPIRE")).toHaveLength(1);
  });

  it("npm run rewards:verify is clean afterwards", async () => {
    const summary = await rewards.verify();
    expect(summary.mismatches, JSON.stringify(summary.users)).toBe(0);
    expect(summary.accounts).toBeGreaterThanOrEqual(2);
  });
});
