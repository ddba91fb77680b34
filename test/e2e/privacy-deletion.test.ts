import { describe, expect, it } from "vitest";
import { given } from "#test/steps/given";
import { aUserWithHistory, crashedDuring, itemsMentioning, objectsUnder, partitionOf, privacy } from "#test/steps/privacy";
import { expectProblem } from "#test/steps/then";
import { call, when } from "#test/steps/when";

// DELETE /me (issue 16): the password first; then every session ends at once, the worker erases
// or anonymises the user's data in every item and object (keeping the ledger amounts, the audit
// trail and anonymised complaints), the username, e-mail and phone can register again, staff
// follow the progress, and a deletion interrupted midway completes when resumed.

const KEPT_ENTITIES = new Set(["USER", "REWARD_ENTRY"]);

describe("account deletion", () => {
  it("refuses a wrong password (counted like a sign-in) and a missing one", async () => {
    const { user, tokens } = await given.aSignedInUser();
    expectProblem(await privacy.deleteMe(tokens.accessToken, "not-my-password"), 400, "CURRENT_PASSWORD_INCORRECT");
    expectProblem(await call("DELETE", "/me", { token: tokens.accessToken, body: {} }), 400, "VALIDATION_FAILED");
    expect((await when.getMe(tokens.accessToken)).status).toBe(200);
    expect((await when.login(user.username, user.password)).status).toBe(200);
  });

  it("ends every session at once, erases the user's PII everywhere, keeps what must be kept, and frees the e-mail for a new account", async () => {
    const staff = await given.aSignedInStaffMember(["admin"]);
    const { user, token, fullName, marker, complaintId, againstId, other } = await aUserWithHistory(staff.tokens.accessToken);
    const accepted = await privacy.deleteMe(token, user.password);
    expect(accepted.status, accepted.text).toBe(202);
    expect(accepted.body.status).toBe("DELETING");
    expect((await when.getMe(token)).status).toBe(401);

    const done = await privacy.until(staff.tokens.accessToken, user.userId, "DONE");
    expect(done.steps.map((s) => s.status)).toEqual(Array(done.steps.length).fill("DONE"));
    expect(done.steps.find((s) => s.name === "document-images")?.counts?.deleted).toBeGreaterThanOrEqual(2);

    for (const login of [user.username, user.email, user.phone]) expectProblem(await when.login(login, user.password), 401, "INVALID_CREDENTIALS");

    // The user's partition: a tombstone without PII and the ledger amounts only.
    const left = await partitionOf(user.userId);
    expect([...new Set(left.map((i) => String(i.entity)))].every((e) => KEPT_ENTITIES.has(e))).toBe(true);
    const tombstone = left.find((i) => i.SK === "PROFILE");
    expect(tombstone).toMatchObject({ status: "DELETED" });
    for (const field of ["emailEnc", "emailHash", "phoneEnc", "phoneHash", "displayName", "mfa", "profile"]) expect(tombstone).not.toHaveProperty(field);
    expect(left.filter((i) => i.entity === "REWARD_ENTRY").length).toBeGreaterThanOrEqual(2);

    // No item anywhere holds the user's PII, and no guard is still theirs.
    for (const pii of [user.username, user.email, user.phone, fullName, marker]) expect(await itemsMentioning(pii), pii).toEqual([]);
    const stillMentioned = await itemsMentioning(user.userId);
    expect(stillMentioned.filter((i) => i.entity === "GUARD")).toEqual([]);
    expect([...new Set(stillMentioned.map((i) => String(i.entity)))].sort()).toEqual(expect.arrayContaining(["AUDIT", "DELETION", "USER"]));
    for (const e of stillMentioned) expect(["AUDIT", "DELETION", "USER", "REWARD_ENTRY", "REWARD_GRANT", "INCIDENT_TARGET"]).toContain(e.entity);

    // Complaints are kept, anonymised; the other party's case stays readable to them.
    const theirs = await call("GET", `/complaints/${againstId}`, { token: (await when.login(other.username, other.password)).body.accessToken });
    expect(theirs.status, theirs.text).toBe(200);
    expect(JSON.stringify(theirs.body)).not.toContain(user.userId);
    const [complaint] = (await itemsMentioning(complaintId)).filter((i) => i.entity === "COMPLAINT");
    expect(complaint).toMatchObject({ complainantId: "deleted-user", subject: "[erased]", description: "[erased]" });
    const [dispute] = (await itemsMentioning(againstId)).filter((i) => i.entity === "COMPLAINT");
    expect(dispute).toMatchObject({ complainantId: other.userId, respondentId: "deleted-user" });

    // No document image is left.
    expect(await objectsUnder(`documents/${user.userId}/`)).toEqual([]);
    expect(await objectsUnder(`submitted/${user.userId}/`)).toEqual([]);

    // The same username, e-mail and phone register again.
    const again = await when.register(given.registration({ username: user.username, email: user.email, phone: user.phone }));
    expect(again.status, again.text).toBe(201);
    expect(again.body.userId).not.toBe(user.userId);

    // Audited: the request and the completion.
    const audit = await call("GET", `/admin/audit?userId=${user.userId}`, { token: staff.tokens.accessToken });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(["ACCOUNT_DELETION_REQUESTED", "ACCOUNT_DELETED"]));
  });

  it("a deletion interrupted midway completes when resumed, and staff see its progress", async () => {
    const staff = await given.aSignedInStaffMember(["admin"]);
    const { user, token } = await aUserWithHistory(staff.tokens.accessToken);
    expect((await privacy.deleteMe(token, user.password)).status).toBe(202);
    await privacy.until(staff.tokens.accessToken, user.userId, "DONE");

    // The worker died during document-images: it and every later step not done, their data still there.
    const objectKey = `submitted/${user.userId}/left/over/FRONT`;
    await crashedDuring(user.userId, ["document-images", "complaints", "feedback", "admin-applications", "partition", "account"], { objectKey });
    const failed = (await privacy.deletion(staff.tokens.accessToken, user.userId)).body;
    expect(failed.status).toBe("FAILED");
    expect(failed.steps.map((s: { status: string }) => s.status)).toEqual(["DONE", "DONE", "FAILED", "PENDING", "PENDING", "PENDING", "PENDING", "PENDING"]);
    expect(failed.steps[2].lastError).toMatch(/TimeoutError/);

    // A user may not resume it; staff do, and it continues at the failed step.
    expect((await privacy.resume(token, user.userId)).status).toBe(401);
    const resumed = await privacy.resume(staff.tokens.accessToken, user.userId);
    expect(resumed.status, resumed.text).toBe(202);
    const done = await privacy.until(staff.tokens.accessToken, user.userId, "DONE");
    expect(done.steps.find((s) => s.name === "document-images")).toMatchObject({ status: "DONE", failures: 1, counts: { deleted: 1 } });
    expect(done.steps.find((s) => s.name === "partition")?.counts?.deleted).toBe(1);
    expect(await objectsUnder(`submitted/${user.userId}/`)).toEqual([]);
    expect((await partitionOf(user.userId)).filter((i) => !KEPT_ENTITIES.has(String(i.entity)))).toEqual([]);
    expect(await itemsMentioning("left-over-agent")).toEqual([]);
    expectProblem(await privacy.resume(staff.tokens.accessToken, user.userId), 409, "DELETION_DONE");

    // Unknown deletions are 404; a signed-in user who is not staff gets 403.
    expectProblem(await privacy.deletion(staff.tokens.accessToken, "no-such-user"), 404, "NOT_FOUND");
    const someone = await given.aSignedInUser();
    expect((await privacy.deletion(someone.tokens.accessToken, user.userId)).status).toBe(403);
  });
});
