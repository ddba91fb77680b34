import { beforeAll, describe, expect, it } from "vitest";
import { given } from "#test/steps/given";
import { expectProblem } from "#test/steps/then";
import { call } from "#test/steps/when";

type Staff = Awaited<ReturnType<typeof given.aSignedInStaffMember>>;
let reviewer: Staff;
let admin: Staff;

beforeAll(async () => {
  [reviewer, admin] = await Promise.all([given.aSignedInStaffMember(["reviewer"]), given.aSignedInStaffMember(["admin"])]);
});

const adminUsers = (token: string, query: string) => call("GET", `/admin/users${query}`, { token });

describe("staff user lookup", () => {
  it("finds a user by exact username, e-mail or phone, masked without data:pii:read", async () => {
    const phone = given.uniquePhone();
    const { user } = await given.aSignedInUser({ phone });
    for (const login of [user.username, user.email.toUpperCase(), phone]) {
      const res = await adminUsers(reviewer.tokens.accessToken, `?login=${encodeURIComponent(login)}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.items).toHaveLength(1);
      expect(res.body.items[0]).toMatchObject({
        userId: user.userId,
        username: user.username,
        email: `${user.email[0]}***@example.com`,
        phone: `${phone.slice(3, 6)}****${phone.slice(-4)}`,
        status: "ACTIVE",
        identityStatus: "NONE",
      });
    }
    const none = await adminUsers(reviewer.tokens.accessToken, `?login=${given.uniqueUsername()}`);
    expect(none.body).toEqual({ items: [], nextCursor: null });

    // A reviewer's masked lookups are not PII reads: nothing audited.
    const audit = await call("GET", `/admin/audit?userId=${user.userId}`, { token: admin.tokens.accessToken });
    expect(audit.body.items).toEqual([]);
  });

  it("shows PII to holders of data:pii:read and audits each such read", async () => {
    const phone = given.uniquePhone();
    const { user } = await given.aSignedInUser({ phone });
    const one = await call("GET", `/admin/users/${user.userId}`, { token: admin.tokens.accessToken });
    expect(one.status, one.text).toBe(200);
    expect(one.body).toMatchObject({ userId: user.userId, email: user.email, phone });
    const masked = await call("GET", `/admin/users/${user.userId}`, { token: reviewer.tokens.accessToken });
    expect(masked.body.email).toBe(`${user.email[0]}***@example.com`);

    const audit = await call("GET", `/admin/audit?userId=${user.userId}`, { token: admin.tokens.accessToken });
    expect(audit.status, audit.text).toBe(200);
    expect(audit.body.items).toHaveLength(1);
    const entry = audit.body.items[0];
    expect(entry).toMatchObject({ action: "USER_PII_VIEWED", targetUserId: user.userId, requestId: one.headers["x-request-id"] });
    const byActor = await call("GET", `/admin/audit?actorId=${entry.actorId}&limit=100`, { token: admin.tokens.accessToken });
    expect(byActor.body.items.map((e: { entryId: string }) => e.entryId)).toContain(entry.entryId);

    expectProblem(await call("GET", "/admin/users/no-such-user", { token: admin.tokens.accessToken }), 404, "NOT_FOUND");
  });

  it("lists users by status over the shards with a cursor, and pages the audit trail newest first", async () => {
    const created = await Promise.all([given.aRegisteredUser(), given.aRegisteredUser(), given.aRegisteredUser()]);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 500; page++) {
      const res = await adminUsers(reviewer.tokens.accessToken, `?status=PENDING_VERIFICATION&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      for (const item of res.body.items) expect(item.status).toBe("PENDING_VERIFICATION");
      seen.push(...res.body.items.map((i: { userId: string }) => i.userId));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    for (const u of created) expect(seen).toContain(u.userId);
    expect(new Set(seen).size).toBe(seen.length);

    // Three unmasked reads of one user → three entries, two pages of two and one.
    const target = created[0]?.userId as string;
    for (let i = 0; i < 3; i++) expect((await call("GET", `/admin/users/${target}`, { token: admin.tokens.accessToken })).status).toBe(200);
    const first = await call("GET", `/admin/audit?userId=${target}&limit=2`, { token: admin.tokens.accessToken });
    expect(first.body.items).toHaveLength(2);
    const second = await call("GET", `/admin/audit?userId=${target}&limit=2&cursor=${first.body.nextCursor}`, { token: admin.tokens.accessToken });
    expect(second.body.items).toHaveLength(1);
    const times = [...first.body.items, ...second.body.items].map((e: { at: string }) => e.at);
    expect(times).toEqual([...times].sort().reverse());
    // A cursor only continues its own listing.
    expectProblem(await call("GET", `/admin/audit?userId=${created[1]?.userId}&cursor=${first.body.nextCursor}`, { token: admin.tokens.accessToken }), 400, "INVALID_CURSOR");
  });

  it("validates its queries", async () => {
    expectProblem(await adminUsers(reviewer.tokens.accessToken, ""), 400, "VALIDATION_FAILED");
    expectProblem(await adminUsers(reviewer.tokens.accessToken, "?status=ACTIVE&login=x"), 400, "VALIDATION_FAILED");
    expectProblem(await adminUsers(reviewer.tokens.accessToken, "?status=GONE"), 400, "VALIDATION_FAILED");
    expectProblem(await call("GET", "/admin/audit", { token: admin.tokens.accessToken }), 400, "VALIDATION_FAILED");
    expectProblem(await call("GET", "/admin/users?status=ACTIVE"), 401, "UNAUTHORIZED");
  });
});
