import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { routes } from "../../functions/openapi/routes";
import { given } from "#test/steps/given";
import { enrol, signIn } from "#test/steps/mfa";
import { expectProblem, mailsMatching } from "#test/steps/then";
import { call, when } from "#test/steps/when";

// Staff powers over users (issue 11): status, level, permissions and groups, each acting on the
// target's very next request, audited, and never on oneself; and the route table's own guard.

type Staff = Awaited<ReturnType<typeof given.aSignedInStaffMember>>;
let admin: Staff;
let otherAdmin: Staff;
let reviewer: Staff;

beforeAll(async () => {
  [admin, otherAdmin, reviewer] = await Promise.all([
    given.aSignedInStaffMember(["admin"]),
    given.aSignedInStaffMember(["admin"]),
    given.aSignedInStaffMember(["reviewer"]),
  ]);
});

const asStaff = (staff: Staff, path: string, body: unknown) => call("POST", path, { token: staff.tokens.accessToken, body });
const auditOf = async (userId: string) => (await call("GET", `/admin/audit?userId=${userId}&limit=100`, { token: admin.tokens.accessToken })).body.items as Record<string, unknown>[];
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>;

describe("the route table", () => {
  const concrete = (path: string) => path.replace(/\{[^}]+\}/g, randomUUID());

  it("answers 401 without a token on every non-public route", async () => {
    const guarded = routes.filter((r) => r.auth !== "public");
    expect(guarded.length).toBeGreaterThanOrEqual(20);
    for (const route of guarded) {
      const res = await call(route.method, concrete(route.path), { body: route.method === "GET" ? undefined : {} });
      expect(res.status, `${route.method} ${route.path}: ${res.text}`).toBe(401);
    }
  });

  it("answers 403 to a signed-in user who is not staff on every /admin route", async () => {
    const { tokens } = await given.aSignedInUser();
    const adminRoutes = routes.filter((r) => r.path.startsWith("/admin"));
    expect(adminRoutes.length).toBeGreaterThan(8);
    for (const route of adminRoutes) {
      const res = await call(route.method, concrete(route.path), { token: tokens.accessToken, body: route.method === "GET" ? undefined : {} });
      expect(res.status, `${route.method} ${route.path}: ${res.text}`).toBe(403);
    }
  });
});

describe("suspension", () => {
  it("rejects the user's live token at once, refuses login, survives reactivation as dead tokens; mailed and audited", async () => {
    const { user, tokens } = await given.aSignedInUser();
    expect((await when.getMe(tokens.accessToken)).status).toBe(200);

    const suspended = await asStaff(admin, `/admin/users/${user.userId}/status`, { status: "SUSPENDED", reason: "Chargeback fraud under investigation" });
    expect(suspended.status, suspended.text).toBe(200);
    expect(suspended.body).toEqual({ userId: user.userId, status: "SUSPENDED" });

    expectProblem(await when.getMe(tokens.accessToken), 403, "ACCOUNT_SUSPENDED");
    expectProblem(await when.login(user.username, user.password), 403, "ACCOUNT_SUSPENDED");
    expectProblem(await when.refresh(tokens.refreshToken), 401, "INVALID_REFRESH_TOKEN");
    await mailsMatching(user.email, /suspended/i);
    const listed = await call("GET", "/admin/users?status=SUSPENDED&limit=100", { token: admin.tokens.accessToken });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.items.map((u: { userId: string }) => u.userId)).toContain(user.userId);

    const restored = await asStaff(admin, `/admin/users/${user.userId}/status`, { status: "ACTIVE", reason: "Investigation closed, no fraud" });
    expect(restored.body.status).toBe("ACTIVE");
    expectProblem(await when.getMe(tokens.accessToken), 401, "TOKEN_REVOKED"); // the old token stays dead
    const again = await when.login(user.username, user.password);
    expect(again.status, again.text).toBe(200);
    expect((await when.getMe(again.body.accessToken)).status).toBe(200);

    const entries = await auditOf(user.userId);
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(["USER_SUSPENDED", "USER_REACTIVATED"]));
    expect(entries.find((e) => e.action === "USER_SUSPENDED")).toMatchObject({ actorId: admin.user.userId, targetUserId: user.userId, reason: "Chargeback fraud under investigation" });
  });

  it("needs a reason and a known status", async () => {
    const { user } = await given.aSignedInUser();
    expectProblem(await asStaff(admin, `/admin/users/${user.userId}/status`, { status: "SUSPENDED" }), 400, "VALIDATION_FAILED");
    expectProblem(await asStaff(admin, `/admin/users/${user.userId}/status`, { status: "BANNED", reason: "because" }), 400, "VALIDATION_FAILED");
    expectProblem(await asStaff(admin, `/admin/users/${randomUUID()}/status`, { status: "SUSPENDED", reason: "because" }), 404, "NOT_FOUND");
  });
});

describe("staff groups", () => {
  it("take effect on the target's next request with the token issued before, and reach Cognito for later tokens", async () => {
    const target = await given.aSignedInStaffMember(["admin"]);
    const someone = await given.aSignedInUser();
    const levelOf = (staff: Staff) => asStaff(staff, `/admin/users/${someone.user.userId}/level`, { level: "ACTIVE", reason: "Trusted early adopter" });
    expect((await levelOf(target)).status).toBe(200);

    const removed = await asStaff(admin, `/admin/users/${target.user.userId}/groups`, { remove: ["admin"], add: ["reviewer"], reason: "Moved to the review team" });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body.groups).toEqual(["reviewer"]);
    expectProblem(await levelOf(target), 403, "FORBIDDEN"); // same token, admin powers gone
    const me = await when.getMe(target.tokens.accessToken);
    expect(me.body).toMatchObject({ groups: ["reviewer"] });
    expect(me.body.permissions).toContain("reviews:decide");
    expect(me.body.permissions).not.toContain("levels:manage");

    const fresh = await signIn(target.user.username, target.user.password, target.secret);
    expect(claimsOf(fresh.accessToken)["cognito:groups"]).toEqual(["reviewer"]);
    expect((await auditOf(target.user.userId)).find((e) => e.action === "GROUPS_CHANGED")).toMatchObject({ actorId: admin.user.userId, reason: "Moved to the review team" });
  });

  it("give a normal user staff powers at once, and refuse unknown groups listing the valid ones", async () => {
    const { user, tokens } = await given.aSignedInUser();
    expectProblem(await call("GET", "/admin/reviews?status=PENDING_REVIEW", { token: tokens.accessToken }), 403, "STAFF_ONLY");
    expect((await asStaff(admin, `/admin/users/${user.userId}/groups`, { add: ["reviewer"], reason: "Joined the review team" })).status).toBe(200);
    expectProblem(await call("GET", "/admin/reviews?status=PENDING_REVIEW", { token: tokens.accessToken }), 403, "MFA_REQUIRED"); // staff now: a second factor first
    await enrol(tokens.accessToken);
    expect((await call("GET", "/admin/reviews?status=PENDING_REVIEW", { token: tokens.accessToken })).status).toBe(200);

    const unknown = await asStaff(admin, `/admin/users/${user.userId}/groups`, { add: ["root"], reason: "Why not" });
    expectProblem(unknown, 400, "UNKNOWN_GROUP");
    expect(unknown.body.detail).toContain("admin, reviewer, support, ops");
  });
});

describe("permissions", () => {
  it("grant and revoke single permissions on the next request; unknown names get the valid list", async () => {
    const { user, tokens } = await given.aSignedInUser();
    expect((await when.patchMe(tokens.accessToken, { bio: "hello" })).status).toBe(200);

    const changed = await asStaff(admin, `/admin/users/${user.userId}/permissions`, { grant: ["listings:premium"], revoke: ["profile:write"], reason: "Spam in the bio; premium trial" });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.permissions).toContain("listings:premium");
    expect(changed.body.permissions).not.toContain("profile:write");
    expectProblem(await when.patchMe(tokens.accessToken, { bio: "spam" }), 403, "FORBIDDEN");

    const detail = await call("GET", `/admin/users/${user.userId}`, { token: admin.tokens.accessToken });
    expect(detail.body.permissionSources).toMatchObject({ "listings:premium": ["grant"], "profile:read": ["level:NEWBIE"] });
    expect(detail.body.withheld).toMatchObject({ "profile:write": ["revoke"] });

    const unknown = await asStaff(admin, `/admin/users/${user.userId}/permissions`, { grant: ["everything"], reason: "Testing" });
    expectProblem(unknown, 400, "UNKNOWN_PERMISSION");
    expect(unknown.body.valid).toContain("rewards:redeem");
    expectProblem(await asStaff(admin, `/admin/users/${user.userId}/permissions`, { revoke: ["account:security"], reason: "Testing" }), 400, "NOT_REVOCABLE");
    expect((await auditOf(user.userId)).find((e) => e.action === "PERMISSIONS_CHANGED")).toMatchObject({ actorId: admin.user.userId, reason: "Spam in the bio; premium trial" });
  });

  it("only the admin group changes levels, unless a grant says otherwise", async () => {
    const { user } = await given.aSignedInUser();
    const setLevel = () => asStaff(reviewer, `/admin/users/${user.userId}/level`, { level: "ACTIVE", reason: "Helpful community member" });
    expectProblem(await setLevel(), 403, "FORBIDDEN");
    expect((await asStaff(admin, `/admin/users/${reviewer.user.userId}/permissions`, { grant: ["levels:manage"], reason: "Runs the level pilot" })).status).toBe(200);
    expect((await setLevel()).status).toBe(200);
  });
});

describe("levels set by hand", () => {
  it("sets and pins a level, lists the user by level, mails and audits; ADMIN only through an application", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const set = await asStaff(admin, `/admin/users/${user.userId}/level`, { level: "ADVANCED", reason: "Verified in person at the depot" });
    expect(set.status, set.text).toBe(200);
    expect(set.body).toEqual({ userId: user.userId, level: "ADVANCED", pinnedUntil: null });
    expect((await when.getMe(tokens.accessToken)).body.permissions).toContain("listings:premium");
    await mailsMatching(user.email, /level is now ADVANCED/);

    const listed = await call("GET", "/admin/users?level=ADVANCED&limit=100", { token: admin.tokens.accessToken });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.items.map((u: { userId: string }) => u.userId)).toContain(user.userId);
    expect((await auditOf(user.userId)).find((e) => e.action === "LEVEL_SET")).toMatchObject({ actorId: admin.user.userId, reason: "Verified in person at the depot" });

    expectProblem(await asStaff(admin, `/admin/users/${user.userId}/level`, { level: "ADMIN", reason: "Shortcut" }), 400, "ADMIN_NEEDS_APPLICATION");
    expectProblem(await asStaff(admin, `/admin/users/${user.userId}/level`, { level: "ACTIVE", reason: "Past", pinnedUntil: "2020-01-01T00:00:00Z" }), 400, "PIN_IN_THE_PAST");
    expectProblem(await call("GET", "/admin/users?level=ADVANCED&status=ACTIVE", { token: admin.tokens.accessToken }), 400, "VALIDATION_FAILED");
  });
});

describe("self-changes", () => {
  it("are refused for status, level, groups and permissions", async () => {
    const me = admin.user.userId;
    for (const [path, body] of [
      ["status", { status: "SUSPENDED", reason: "Testing myself" }],
      ["level", { level: "NEWBIE", reason: "Testing myself" }],
      ["groups", { add: ["ops"], reason: "Testing myself" }],
      ["permissions", { grant: ["analytics:read"], reason: "Testing myself" }],
    ] as const) {
      expectProblem(await asStaff(admin, `/admin/users/${me}/${path}`, body), 403, "SELF_CHANGE");
    }
    // …while another admin may.
    expect((await asStaff(otherAdmin, `/admin/users/${me}/permissions`, { grant: ["analytics:read"], reason: "Needs the dashboards" })).status).toBe(200);
  });
});
