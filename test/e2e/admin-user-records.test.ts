import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { fileComplaint, transitioned } from "#test/steps/complaints";
import { aResidentIdNumber, documents } from "#test/steps/documents";
import { given } from "#test/steps/given";
import { rewards } from "#test/steps/rewards";
import { expectProblem } from "#test/steps/then";
import { call, when } from "#test/steps/when";

// The staff console's user page (issue 18): a user's own records read by staff, each route with
// the permission of the staff who already read that kind of data, PII masked unless the reader
// holds data:pii:read (and then audited), 404 for an unknown user, 403 for anyone else.

type Staff = Awaited<ReturnType<typeof given.aSignedInStaffMember>>;
let admin: Staff;
let reviewer: Staff;
let support: Staff;
let normal: { user: { userId: string }; tokens: { accessToken: string } };

const WINDOWS_CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
const IPHONE_SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const UNKNOWN_USER = randomUUID();

const records = (staff: { tokens: { accessToken: string } }, userId: string, what: string, query = "") =>
  call("GET", `/admin/users/${userId}/${what}${query}`, { token: staff.tokens.accessToken });
const auditOf = async (userId: string) => {
  const res = await call("GET", `/admin/audit?userId=${userId}&limit=100`, { token: admin.tokens.accessToken });
  expect(res.status, res.text).toBe(200);
  return res.body.items as { action: string; actorId: string; subject?: string; requestId: string }[];
};

beforeAll(async () => {
  [admin, reviewer, support, normal] = await Promise.all([
    given.aSignedInStaffMember(["admin"]),
    given.aSignedInStaffMember(["reviewer"]),
    given.aSignedInStaffMember(["support"]),
    given.aSignedInUser(),
  ]);
});

describe("a user's sign-in activity for staff (users:read)", () => {
  it("shows the network and device masked, in full only with data:pii:read, and audits the full read", async () => {
    const user = await given.aVerifiedUser();
    for (const ua of [WINDOWS_CHROME, IPHONE_SAFARI]) {
      const res = await when.login(user.username, user.password, { headers: { "user-agent": ua } });
      expect(res.status, res.text).toBe(200);
    }

    const masked = await records(reviewer, user.userId, "activity");
    expect(masked.status, masked.text).toBe(200);
    expect(masked.body.items).toHaveLength(2);
    expect(masked.body.items.map((i: { browser: string; os: string }) => `${i.browser}/${i.os}`)).toEqual(["Safari/iOS", "Chrome/Windows"]);
    for (const item of masked.body.items) {
      expect(item).toMatchObject({ type: "LOGIN", network: expect.stringMatching(/^127\.\d+\.\d+\.x$/) });
      expect(item).not.toHaveProperty("ip");
      expect(item).not.toHaveProperty("userAgent");
    }
    expect(masked.text).not.toContain("Mozilla");
    // A masked read shows no PII: nothing audited.
    expect(await auditOf(user.userId)).toEqual([]);

    // The owner's own view and the full staff view agree.
    const own = await call("GET", "/me/activity", { token: (await when.login(user.username, user.password)).body.accessToken });
    const full = await records(admin, user.userId, "activity", "?limit=3");
    expect(full.status, full.text).toBe(200);
    expect(full.body.items.map((i: { at: string; ip: string; userAgent: string }) => [i.at, i.ip, i.userAgent])).toEqual(
      own.body.items.map((i: { at: string; ip: string; userAgent: string }) => [i.at, i.ip, i.userAgent]),
    );
    expect(full.body.items[1]).toMatchObject({ userAgent: IPHONE_SAFARI, ip: expect.stringContaining("127."), browser: "Safari", os: "iOS" });
    const audit = await auditOf(user.userId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "USER_PII_VIEWED", subject: "activity", actorId: admin.user.userId, requestId: full.headers["x-request-id"] });
  });

  it("pages newest first with a cursor bound to the user", async () => {
    const user = await given.aVerifiedUser();
    const other = await given.aVerifiedUser();
    for (let i = 0; i < 3; i++) expect((await when.login(user.username, user.password)).status).toBe(200);
    const first = await records(reviewer, user.userId, "activity", "?limit=2");
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await records(reviewer, user.userId, "activity", `?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const times = [...first.body.items, ...second.body.items].map((i: { at: string }) => i.at);
    expect(times).toEqual([...times].sort().reverse());
    expectProblem(await records(reviewer, other.userId, "activity", `?cursor=${first.body.nextCursor}`), 400, "INVALID_CURSOR");
  });

  it("answers 404 for an unknown user, 403 to staff whose users:read was revoked and to a normal user", async () => {
    expectProblem(await records(reviewer, UNKNOWN_USER, "activity"), 404, "NOT_FOUND");
    const ops = await given.aSignedInStaffMember(["ops"]);
    expect((await records(ops, normal.user.userId, "activity")).status).toBe(200);
    const revoked = await call("POST", `/admin/users/${ops.user.userId}/permissions`, { token: admin.tokens.accessToken, body: { revoke: ["users:read"], reason: "Incident duty only" } });
    expect(revoked.status, revoked.text).toBe(200);
    expectProblem(await records(ops, normal.user.userId, "activity"), 403, "FORBIDDEN");
    expectProblem(await records(normal, normal.user.userId, "activity"), 403, "STAFF_ONLY");
  });
});

describe("a user's rewards for staff (rewards:grant)", () => {
  it("shows the user's own balance, ledger and achievements", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const granted = await rewards.grant(support.tokens.accessToken, { userId: user.userId, points: 30, reason: "Goodwill for a broken lock" });
    expect(granted.status, granted.text).toBe(201);
    const achieved = await rewards.grant(admin.tokens.accessToken, { userId: user.userId, achievementId: "FIRST_REVIEW_GIVEN", reason: "Review lost in the migration" });
    expect(achieved.status, achieved.text).toBe(201);

    const res = await records(support, user.userId, "rewards");
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ balance: 50, frozen: false, nextCursor: null, achievements: [{ id: "FIRST_REVIEW_GIVEN", points: 20 }] });
    expect(res.body.ledger.map((e: { points: number; reason: string }) => [e.points, e.reason])).toEqual(
      expect.arrayContaining([[30, "Goodwill for a broken lock"], [20, expect.any(String)]]),
    );
    // Exactly what the user sees.
    expect(res.body).toEqual(await rewards.view(tokens.accessToken));

    const page = await records(admin, user.userId, "rewards", "?limit=1");
    expect(page.body.ledger).toHaveLength(1);
    const rest = await records(admin, user.userId, "rewards", `?limit=1&cursor=${page.body.nextCursor}`);
    expect(rest.body.ledger).toHaveLength(1);
    expect(rest.body.ledger[0].entryId).not.toBe(page.body.ledger[0].entryId);
  });

  it("answers 404 for an unknown user, 403 to a reviewer and to a normal user", async () => {
    expectProblem(await records(support, UNKNOWN_USER, "rewards"), 404, "NOT_FOUND");
    expectProblem(await records(reviewer, normal.user.userId, "rewards"), 403, "FORBIDDEN");
    expectProblem(await records(normal, normal.user.userId, "rewards"), 403, "STAFF_ONLY");
  });
});

describe("a user's identity documents for staff (reviews:read)", () => {
  it("lists the submissions with their status, without names, numbers or image URLs", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const declaration = { fullName: "李雷", documentNumber: aResidentIdNumber() };
    const submitted = await documents.submitted(tokens.accessToken, declaration);
    expect(submitted.status, submitted.text).toBe(202);

    const res = await records(reviewer, user.userId, "documents");
    expect(res.status, res.text).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ submissionId: submitted.submissionId, type: "ID_CARD", status: "PENDING_REVIEW", submittedAt: expect.any(String) });
    for (const secret of [declaration.fullName, declaration.documentNumber, declaration.documentNumber.slice(-4), "http", "submitted/"]) expect(res.text).not.toContain(secret);
    expect(res.body).toEqual((await documents.mine(tokens.accessToken)).body);
    // Nothing personal shown: nothing audited.
    expect(await auditOf(user.userId)).toEqual([]);
  });

  it("answers 404 for an unknown user, 403 to support and to a normal user", async () => {
    expectProblem(await records(reviewer, UNKNOWN_USER, "documents"), 404, "NOT_FOUND");
    expectProblem(await records(support, normal.user.userId, "documents"), 403, "FORBIDDEN");
    expectProblem(await records(normal, normal.user.userId, "documents"), 403, "STAFF_ONLY");
  });
});

describe("a user's complaints for staff (complaints:manage)", () => {
  it("lists those the user filed and those against them in mediation, with status, priority and the SLA deadline", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const complainant = await given.aSignedInUser();
    const filed = await fileComplaint(tokens.accessToken, { category: "SAFETY", subject: "Brakes failed on the rented bike" });
    const dispute = await fileComplaint(complainant.tokens.accessToken, { category: "PRODUCT", againstUserId: user.userId });

    const mine = await records(support, user.userId, "complaints");
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({
      complaintId: filed.complaintId,
      ticketNo: filed.ticketNo,
      status: "RECEIVED",
      priority: "HIGH",
      complainantId: user.userId,
      dispute: false,
      due: { kind: "FIRST_RESPONSE", at: expect.any(String) },
      escalated: [],
    });
    expect(mine.body.nextCursor).toBeNull();

    // Against the user: listed once mediation brings them in (the link in their partition).
    expect((await records(support, user.userId, "complaints", "?role=respondent")).body.items).toEqual([]);
    await transitioned(support.tokens.accessToken, dispute.complaintId, { action: "CLASSIFY", category: "PRODUCT", priority: "LOW" });
    await transitioned(support.tokens.accessToken, dispute.complaintId, { action: "START_MEDIATION" });
    const against = await records(admin, user.userId, "complaints", "?role=respondent");
    expect(against.body.items).toHaveLength(1);
    expect(against.body.items[0]).toMatchObject({ complaintId: dispute.complaintId, status: "MEDIATION", priority: "LOW", dispute: true, complainantId: complainant.user.userId, respondentId: user.userId });
  });

  it("answers 404 for an unknown user, 403 to a reviewer and to a normal user", async () => {
    expectProblem(await records(support, UNKNOWN_USER, "complaints"), 404, "NOT_FOUND");
    expectProblem(await records(reviewer, normal.user.userId, "complaints"), 403, "FORBIDDEN");
    expectProblem(await records(normal, normal.user.userId, "complaints"), 403, "STAFF_ONLY");
  });
});

describe("every staff read of a user's records", () => {
  it.each(["activity", "rewards", "documents", "complaints"])("%s: 401 without a token, 400 for a malformed user id", async (what) => {
    expectProblem(await call("GET", `/admin/users/${normal.user.userId}/${what}`), 401, "UNAUTHORIZED");
    expectProblem(await records(admin, "x".repeat(65), what), 400, "VALIDATION_FAILED");
  });
});
