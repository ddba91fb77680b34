import { beforeAll, describe, expect, it } from "vitest";
import { behaviourEvent, send } from "#test/steps/behavior-events";
import { nightly } from "#test/steps/commands";
import { documents } from "#test/steps/documents";
import { eventually } from "#test/steps/eventually";
import { given } from "#test/steps/given";
import { mailsMatching, mailsTo } from "#test/steps/then";
import { call, when } from "#test/steps/when";

// Levels evaluated by `npm run nightly` (the credit recompute's fan-out) after behaviour events
// sent through the real local queue and after a document approval. Every test has fresh users;
// other files' nightly runs may pick our users up first, so only final states are asserted.

const DAY_MS = 86_400_000;

type Me = { level: string; permissions: string[]; credit: { score: number; tier: string }; identityStatus: string };
const me = async (token: string): Promise<Me> => {
  const res = await when.getMe(token);
  expect(res.status, res.text).toBe(200);
  return res.body as Me;
};

/** Sends the events through SQS and waits until the consumer has counted every one of them. */
async function sendEvents(token: string, events: ReturnType<typeof behaviourEvent>[]) {
  await Promise.all(events.map((e) => send(e)));
  const expected = new Map<string, number>();
  for (const e of events) expected.set(e.type, (expected.get(e.type) ?? 0) + 1);
  await eventually(
    async () => (await call("GET", "/me/credit", { token })).body.counters as Record<string, number>,
    (counters) => [...expected].every(([type, n]) => (counters[type] ?? 0) >= n),
    "every event counted",
    30_000,
  );
}
const times = (n: number, make: (i: number) => ReturnType<typeof behaviourEvent>) => Array.from({ length: n }, (_, i) => make(i));

describe("levels, evaluated by the nightly job", () => {
  let adminToken: string;
  beforeAll(async () => {
    adminToken = (await given.aSignedInStaffMember(["admin"])).tokens.accessToken;
  });

  const levelAudit = async (userId: string) => {
    const res = await call("GET", `/admin/audit?userId=${userId}`, { token: adminToken });
    expect(res.status, res.text).toBe(200);
    return (res.body.items as { action: string; actorId: string; reason?: string; details?: Record<string, string> }[]).filter((e) => e.action === "LEVEL_CHANGED");
  };

  /** A user whose documents a staff member approved (the approval marks the user for the nightly job). */
  async function approveDocuments(token: string) {
    const submitted = await documents.submitted(token);
    expect(submitted.status, submitted.text).toBe(202);
    const decided = await documents.decide(adminToken, submitted.submissionId, { decision: "APPROVE" });
    expect(decided.status, decided.text).toBe(200);
  }

  it("promotes NEWBIE → ACTIVE after 3 completed transactions: GET /me, the permissions, the mail and the audit entry", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const before = await me(tokens.accessToken);
    expect(before.level).toBe("NEWBIE");
    expect(before.permissions).not.toContain("rewards:redeem");
    await sendEvents(tokens.accessToken, times(3, () => behaviourEvent(user.userId, "TRANSACTION_COMPLETED")));

    await nightly();

    const after = await me(tokens.accessToken);
    expect(after.level).toBe("ACTIVE");
    expect(after.permissions).toEqual(expect.arrayContaining(["rewards:redeem", "listings:create"]));
    expect(after.permissions).not.toContain("listings:premium");
    const [mail] = await mailsMatching(user.email, /Your level is now ACTIVE/);
    expect(mail?.body.text).toContain("from NEWBIE to ACTIVE: 3 completed transactions");
    expect(await levelAudit(user.userId)).toEqual([
      expect.objectContaining({ actorId: "system:nightly", reason: "3 completed transactions", details: { from: "NEWBIE", to: "ACTIVE", rule: "PROMOTE_TO_ACTIVE" } }),
    ]);
  });

  it("promotes after 5 active days on distinct recent days; 4 days, however many events, do not", async () => {
    const five = await given.aSignedInUser();
    const four = await given.aSignedInUser();
    const day = (userId: string, daysAgo: number) => ({ ...behaviourEvent(userId, "ACTIVE_DAY"), occurredAt: new Date(Date.now() - daysAgo * DAY_MS).toISOString() });
    await sendEvents(five.tokens.accessToken, times(5, (i) => day(five.user.userId, i * 3)));
    // Six events, but on four distinct days.
    await sendEvents(four.tokens.accessToken, [0, 0, 1, 2, 2, 3].map((d) => day(four.user.userId, d)));

    await nightly();

    expect((await me(five.tokens.accessToken)).level).toBe("ACTIVE");
    expect((await levelAudit(five.user.userId))[0]?.reason).toBe("5 active days in the last 30 days");
    expect((await me(four.tokens.accessToken)).level).toBe("NEWBIE");
    expect(await levelAudit(four.user.userId)).toEqual([]);
  });

  it("ADVANCED needs approved documents: 20 completed and GOOD credit stay ACTIVE; approval and the nightly job make ADVANCED", { timeout: 180_000 }, async () => {
    const { user, tokens } = await given.aSignedInUser();
    await sendEvents(tokens.accessToken, times(20, () => behaviourEvent(user.userId, "TRANSACTION_COMPLETED")));

    await nightly();
    const active = await me(tokens.accessToken);
    expect(active).toMatchObject({ level: "ACTIVE", identityStatus: "NONE", credit: { tier: "GOOD" } });

    await approveDocuments(tokens.accessToken);
    await nightly();

    const advanced = await me(tokens.accessToken);
    expect(advanced).toMatchObject({ level: "ADVANCED", identityStatus: "APPROVED", credit: { tier: "EXCELLENT" } }); // the approval re-scored too
    expect(advanced.permissions).toContain("listings:premium");
    await mailsMatching(user.email, /Your level is now ADVANCED/);
    expect((await levelAudit(user.userId)).map((e) => e.details?.to)).toEqual(["ADVANCED", "ACTIVE"]); // newest first
  });

  it("demotes ADVANCED → ACTIVE when violations and late returns bring credit down to POOR", { timeout: 180_000 }, async () => {
    // Documents approved first, then 20 completed transactions: NEWBIE straight to ADVANCED.
    const { user, tokens } = await given.aSignedInUser();
    await approveDocuments(tokens.accessToken);
    await sendEvents(tokens.accessToken, times(20, () => behaviourEvent(user.userId, "TRANSACTION_COMPLETED")));
    await nightly();
    expect((await me(tokens.accessToken)).level).toBe("ADVANCED");

    // The cheapest mix the model allows: 3 critical violations floor the behaviour factor, 12 late returns the fulfilment one.
    await sendEvents(tokens.accessToken, [
      ...times(3, () => behaviourEvent(user.userId, "VIOLATION", { severity: "CRITICAL" })),
      ...times(12, () => behaviourEvent(user.userId, "LATE_RETURN")),
    ]);
    await nightly();

    const demoted = await me(tokens.accessToken);
    expect(demoted).toMatchObject({ level: "ACTIVE", credit: { tier: "POOR" } });
    expect(demoted.permissions).toContain("listings:create");
    expect(demoted.permissions).not.toContain("listings:premium");
    await eventually(() => mailsTo(user.email), (mails) => mails.some((m) => m.body.text?.includes("from ADVANCED to ACTIVE: credit fell to POOR")), "the demotion mail");
    expect((await levelAudit(user.userId))[0]).toMatchObject({ actorId: "system:nightly", details: { from: "ADVANCED", to: "ACTIVE", rule: "DEMOTE_TO_ACTIVE" } });
  });
  it("leaves a pinned level alone, and applies the rules again once pinnedUntil has passed", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const pinnedUntil = new Date(Date.now() + 12_000).toISOString();
    const pinned = await call("POST", `/admin/users/${user.userId}/level`, { token: adminToken, body: { level: "NEWBIE", reason: "Kept on probation after a dispute", pinnedUntil } });
    expect(pinned.status, pinned.text).toBe(200);
    expect(pinned.body).toMatchObject({ level: "NEWBIE", pinnedUntil });

    await sendEvents(tokens.accessToken, times(3, () => behaviourEvent(user.userId, "TRANSACTION_COMPLETED")));
    await nightly();
    expect((await me(tokens.accessToken)).level).toBe("NEWBIE"); // qualifies for ACTIVE, but pinned

    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(pinnedUntil) - Date.now() + 500)));
    await sendEvents(tokens.accessToken, [behaviourEvent(user.userId, "REVIEW_GIVEN")]); // marks the user changed again
    await nightly();
    expect((await me(tokens.accessToken)).level).toBe("ACTIVE");
    const detail = await call("GET", `/admin/users/${user.userId}`, { token: adminToken });
    expect(detail.body.levelPin).toBeNull(); // the stale pin went with the change
  });
});
