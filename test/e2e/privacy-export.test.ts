import { describe, expect, it } from "vitest";
import { given } from "#test/steps/given";
import { aUserWithHistory, privacy } from "#test/steps/privacy";
import { call } from "#test/steps/when";

// GET /me/data-export (issue 16): everything held about the user, in one document, for the user
// only; nothing secret and nothing of another user; every export audited.

describe("the data export", () => {
  it("contains each kind of data the user produced, and nothing secret or foreign", async () => {
    const staff = await given.aSignedInStaffMember(["admin"]);
    const { user, token, fullName, marker, complaintId, againstId, other } = await aUserWithHistory(staff.tokens.accessToken);
    const res = await privacy.export(token);
    expect(res.status, res.text).toBe(200);
    const doc = res.body;

    expect(doc.profile).toMatchObject({ userId: user.userId, username: user.username, email: user.email, phone: user.phone, displayName: fullName, mfa: { enabled: false } });
    expect(doc.consents.map((c: { channel?: string }) => c.channel)).toContain("APP");
    expect(doc.loginActivity.length).toBeGreaterThanOrEqual(1);
    expect(doc.loginActivity[0]).toMatchObject({ type: "LOGIN" });
    expect(doc.devices.length).toBeGreaterThanOrEqual(1);
    expect(doc.sessions.length).toBeGreaterThanOrEqual(1);
    expect(doc.documents).toHaveLength(1);
    expect(doc.documents[0]).toMatchObject({ type: "PASSPORT", fullName });
    expect(doc.documents[0].documentNumber).toMatch(/\*/);
    expect(doc.documents[0].files.map((f: { kind: string }) => f.kind).sort()).toEqual(["FRONT", "SELFIE"]);
    expect(doc.credit.behaviourEvents.map((e: { eventType: string }) => e.eventType).sort()).toEqual(["ACTIVE_DAY", "TRANSACTION_COMPLETED"]);
    expect(doc.rewards.ledger.length).toBeGreaterThanOrEqual(2);
    expect(doc.rewards.achievements).toContain("FIRST_VERIFICATION");
    expect(doc.complaints.filed.map((c: { complaintId: string }) => c.complaintId)).toEqual([complaintId]);
    expect(doc.complaints.filed[0].timeline.some((e: { body?: string }) => e.body === `${marker} here: any news?`)).toBe(true);
    expect(doc.complaints.against.map((c: { complaintId: string }) => c.complaintId)).toEqual([againstId]);
    expect(doc.complaints.against[0].timeline.some((e: { body?: string }) => e.body === `${marker} answers: it was broken before.`)).toBe(true);
    expect(doc.feedback).toMatchObject([{ topic: "Map", body: `${marker} would like a dark map.`, rating: 4 }]);
    expect(doc.messages.length).toBeGreaterThanOrEqual(1);
    expect(doc.mfa).toEqual({ enabled: false });

    const text = res.text;
    // Nothing of the other user: not their id, username, e-mail; not who complained about the user.
    for (const foreign of [other.userId, other.username, other.email]) expect(text).not.toContain(foreign);
    // No secrets: hashes, ciphertexts, tokens, object keys.
    for (const secret of ["Hash", "Enc\"", "v1.", "refresh", "codeHash", "documents/", "submitted/", "tokensValidAfter", "secret", "recoveryHashes"]) expect(text).not.toContain(secret);
    expect(text).not.toContain(token);
  });

  it("is audited, and only ever shows the caller's own data", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const res = await privacy.export(tokens.accessToken);
    expect(res.status, res.text).toBe(200);
    expect(res.body.profile.userId).toBe(user.userId);
    expect(res.body.complaints).toEqual({ filed: [], against: [] });

    const staff = await given.aSignedInStaffMember(["admin"]);
    const audit = await call("GET", `/admin/audit?userId=${user.userId}`, { token: staff.tokens.accessToken });
    expect(audit.status, audit.text).toBe(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain("DATA_EXPORTED");
    expect((await call("GET", "/me/data-export", {})).status).toBe(401);
  });
});
