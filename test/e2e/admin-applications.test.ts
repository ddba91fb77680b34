import { beforeAll, describe, expect, it } from "vitest";
import { given } from "#test/steps/given";
import { enrol } from "#test/steps/mfa";
import { expectProblem, mailsMatching } from "#test/steps/then";
import { call, when } from "#test/steps/when";

// ADMIN is never automatic: an application, decided by another admin (issue 11).

type Staff = Awaited<ReturnType<typeof given.aSignedInStaffMember>>;
let admin: Staff;
let otherAdmin: Staff;

beforeAll(async () => {
  [admin, otherAdmin] = await Promise.all([given.aSignedInStaffMember(["admin"]), given.aSignedInStaffMember(["admin"])]);
});

const apply = (token: string, reason = "I run the Shenzhen depot and handle disputes there") => call("POST", "/me/admin-application", { token, body: { reason } });
const decide = (staff: Staff, applicationId: string, decision: "APPROVE" | "REJECT", reason = "Vouched for by the regional lead") =>
  call("POST", `/admin/admin-applications/${applicationId}/decision`, { token: staff.tokens.accessToken, body: { decision, reason } });

describe("admin applications", () => {
  it("approved by another admin, give admin powers on the applicant's next request with the same token", async () => {
    const { user, tokens } = await given.aSignedInUser();
    expectProblem(await call("GET", "/admin/admin-applications", { token: tokens.accessToken }), 403, "STAFF_ONLY");

    const applied = await apply(tokens.accessToken);
    expect(applied.status, applied.text).toBe(201);
    expect(applied.body).toMatchObject({ status: "PENDING" });
    expectProblem(await apply(tokens.accessToken), 409, "APPLICATION_PENDING");

    const pending = await call("GET", "/admin/admin-applications?limit=100", { token: admin.tokens.accessToken });
    expect(pending.status, pending.text).toBe(200);
    expect(pending.body.items.find((a: { applicationId: string }) => a.applicationId === applied.body.applicationId)).toMatchObject({
      userId: user.userId,
      applicant: { username: user.username, level: "NEWBIE" },
    });

    const approved = await decide(admin, applied.body.applicationId, "APPROVE");
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ status: "APPROVED", decidedBy: admin.user.userId });
    expectProblem(await decide(otherAdmin, applied.body.applicationId, "REJECT"), 409, "ALREADY_DECIDED");

    const me = await when.getMe(tokens.accessToken);
    expect(me.body).toMatchObject({ level: "ADMIN", groups: ["admin"] });
    expect(me.body.permissions).toContain("levels:manage");
    const someone = await given.aSignedInUser();
    const setLevel = () => call("POST", `/admin/users/${someone.user.userId}/level`, { token: tokens.accessToken, body: { level: "ACTIVE", reason: "First act as admin" } });
    expectProblem(await setLevel(), 403, "MFA_REQUIRED"); // staff now: a second factor first
    await enrol(tokens.accessToken);
    const level = await setLevel();
    expect(level.status, level.text).toBe(200);

    await mailsMatching(user.email, /admin application was approved/);
    const audit = await call("GET", `/admin/audit?userId=${user.userId}`, { token: admin.tokens.accessToken });
    expect(audit.body.items.find((e: { action: string }) => e.action === "ADMIN_APPLICATION_APPROVED")).toMatchObject({
      actorId: admin.user.userId,
      targetUserId: user.userId,
      reason: "Vouched for by the regional lead",
      subject: applied.body.applicationId,
    });
    expectProblem(await apply(tokens.accessToken), 409, "ALREADY_ADMIN");
  });

  it("cannot be decided by the applicant, even one who is staff", async () => {
    const applicant = await given.aSignedInStaffMember(["support"]);
    const other = await given.aSignedInStaffMember(["support"]);
    const applied = await apply(applicant.tokens.accessToken, "Senior support, covering for the admin team");
    expect(applied.status, applied.text).toBe(201);
    // The applicant may decide applications thanks to a grant, but never their own.
    const granted = await call("POST", `/admin/users/${applicant.user.userId}/permissions`, {
      token: admin.tokens.accessToken,
      body: { grant: ["admin-applications:decide"], reason: "Covers for the admin team" },
    });
    expect(granted.status, granted.text).toBe(200);
    expectProblem(await decide(applicant, applied.body.applicationId, "APPROVE"), 403, "SELF_DECISION");
    expectProblem(await decide(other, applied.body.applicationId, "APPROVE"), 403, "FORBIDDEN"); // support alone may not decide

    const rejected = await decide(otherAdmin, applied.body.applicationId, "REJECT", "Not this quarter");
    expect(rejected.body.status).toBe("REJECTED");
    expect((await when.getMe(applicant.tokens.accessToken)).body.groups).toEqual(["support"]);
    await mailsMatching(applicant.user.email, /admin application was not approved/);
    expect((await apply(applicant.tokens.accessToken, "Trying again next quarter")).status).toBe(201); // may apply again
  });
});
