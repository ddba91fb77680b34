import { describe, expect, it, vi } from "vitest";
import { encryptField } from "#lib/crypto/fields";
import type { UserRecord } from "#lib/data/user";

// The data export from a user partition holding one item of every kind, with every secret a real
// item carries: the document says what the user gave and we derived (contact details decrypted
// for their owner, the document number masked) and nothing secret or of another user.

const SECRETS = ["SECRET-TOTP", "RECOVERY-HASH", "EMAIL-HASH", "PHONE-HASH", "REFRESH-HASH", "COGNITO-REFRESH", "DOC-HASH", "CODE-HASH", "PAYLOAD-ENC", "REQ-HASH", "bob", "bob@example.com", "documents/u1/"];

const partition: Record<string, unknown>[] = [];
vi.mock("#lib/data/privacy", () => ({
  userPartition: vi.fn(async () => partition),
  feedbackItemsOf: vi.fn(async () => [{ entity: "FEEDBACK", feedbackId: "f1", userId: "u1", topic: "app", body: "love it", rating: 5, createdAt: "2026-12-01T00:00:00.000Z", GSI3PK: "FEEDBACK_BY#u1" }]),
  applicationItemsOf: vi.fn(async () => [{ entity: "ADMIN_APPLICATION", applicationId: "a1", userId: "u1", reason: "I help", status: "REJECTED", createdAt: "2026-11-02T00:00:00.000Z", decidedBy: "bob" }]),
}));
vi.mock("#lib/data/complaint-entry", () => ({
  readCase: vi.fn(async (complaintId: string) => {
    const base = { ticketNo: "C-1", category: "SERVICE", channel: "APP", subject: "late bike", description: "it was late", status: "MEDIATION", priority: "NORMAL", version: 2, createdAt: "x", updatedAt: "x", firstResponseDueAt: "x", resolutionDueAt: "x" };
    const complaint = complaintId === "c-filed" ? { ...base, complaintId, complainantId: "u1", respondentId: "bob" } : { ...base, complaintId, complainantId: "bob", respondentId: "u1" };
    return { complaint, entries: [{ complaintId, seq: 1, at: "x", kind: "FILED", actorRole: "COMPLAINANT", actorId: complaint.complainantId }, { complaintId, seq: 2, at: "y", kind: "MESSAGE", actorRole: "STAFF", actorId: "staff-1", body: "hello", note: "staff note" }] };
  }),
}));

const { buildExport } = await import("#lib/privacy/export");

describe("the data export", () => {
  it("holds each kind of data the user produced and nothing secret or foreign", async () => {
    const user = {
      userId: "u1",
      username: "ada",
      emailEnc: await encryptField("ada@example.com", "u1:email"),
      emailHash: "EMAIL-HASH",
      phoneEnc: await encryptField("+8613800000000", "u1:phone"),
      phoneHash: "PHONE-HASH",
      status: "ACTIVE",
      level: "ACTIVE",
      identityStatus: "APPROVED",
      creditScore: 640,
      creditTier: "FAIR",
      points: 60,
      mfa: { secretEnc: "SECRET-TOTP", enabledAt: "2026-11-03T00:00:00.000Z", lastStep: 1, recoveryHashes: new Set(["RECOVERY-HASH"]) },
      consent: { privacyPolicyVersion: "2026-11", at: "2026-11-01T00:00:00.000Z" },
      tokensValidAfter: 1,
      createdAt: "2026-11-01T00:00:00.000Z",
      updatedAt: "2026-11-01T00:00:00.000Z",
    } as unknown as UserRecord;
    partition.splice(0);
    partition.push(
      { entity: "CONSENT", userId: "u1", privacyPolicyVersion: "2026-11", at: "2026-11-01T00:00:00.000Z", channel: "API" },
      { entity: "ACTIVITY", at: "2026-12-01T00:00:00.000Z", type: "LOGIN", ip: "203.0.113.9", userAgent: "UA", newDevice: true },
      { entity: "DEVICE", SK: "DEVICE#h", userAgent: "UA", firstSeenAt: "a", lastSeenAt: "b" },
      { entity: "SESSION", sessionId: "s1", createdAt: 1, refreshHash: "REFRESH-HASH", refreshGeneration: 3, cognitoRefreshEnc: "COGNITO-REFRESH", ip: "203.0.113.9", userAgent: "UA" },
      { entity: "TOKEN", SK: "TOKEN#jti", sessionId: "s1" },
      { entity: "CODE", SK: "CODE#RESET", codeHash: "CODE-HASH" },
      {
        entity: "DOCUMENT",
        userId: "u1",
        submissionId: "d1",
        type: "ID_CARD",
        status: "APPROVED",
        fullNameEnc: await encryptField("王小明", "u1:document:d1:fullName"),
        documentNumberEnc: await encryptField("110101199003071234", "u1:document:d1:documentNumber"),
        documentHash: "DOC-HASH",
        files: [{ kind: "FRONT", contentType: "image/png", size: 10, key: "documents/u1/d1/FRONT", submittedKey: "submitted/u1/d1/x/FRONT", etag: "e" }],
        createdAt: "x",
        decidedBy: "bob",
      },
      { entity: "CREDIT_HISTORY", at: "2026-12-01", score: 640, tier: "FAIR", factors: [], reasonCodes: [] },
      { entity: "CREDIT_EVENT", SK: "CREDIT_EVENT#e1", eventType: "ACTIVE_DAY", occurredAt: "x", attributes: {} },
      { entity: "REWARD_ENTRY", entryId: "ACH#FIRST_VERIFICATION", type: "EARN", points: 50, reason: "ACHIEVEMENT", at: "x", achievementId: "FIRST_VERIFICATION", requestHash: "REQ-HASH" },
      { entity: "REWARD_ACCOUNT", achievements: ["FIRST_VERIFICATION"] },
      { entity: "COMPLAINT_LINK", complaintId: "c-filed", role: "FILED" },
      { entity: "COMPLAINT_LINK", complaintId: "c-against", role: "AGAINST" },
      { entity: "OUTBOX", messageId: "m1", channel: "EMAIL", template: "VERIFY_CODE", status: "DELIVERED", createdAt: "x", payloadEnc: "PAYLOAD-ENC" },
    );

    const doc = await buildExport(user);
    const text = JSON.stringify(doc);
    for (const secret of SECRETS) expect(text, secret).not.toContain(secret);
    expect(doc.profile).toMatchObject({ username: "ada", email: "ada@example.com", phone: "+8613800000000", mfa: { enabled: true, recoveryCodesLeft: 1 } });
    expect(doc.consents).toHaveLength(1);
    expect(doc.loginActivity[0]).toMatchObject({ ip: "203.0.113.9", userAgent: "UA" });
    expect(doc.sessions[0]).toEqual({ sessionId: "s1", ip: "203.0.113.9", userAgent: "UA", createdAt: new Date(1).toISOString() });
    expect(doc.documents[0]).toMatchObject({ fullName: "王小明", documentNumber: "1101**********1234", files: [{ kind: "FRONT", contentType: "image/png", size: 10 }] });
    expect(doc.credit.history).toHaveLength(1);
    expect(doc.credit.behaviourEvents[0]).toMatchObject({ eventId: "e1", eventType: "ACTIVE_DAY" });
    expect(doc.rewards).toMatchObject({ balance: 60, achievements: ["FIRST_VERIFICATION"] });
    expect(doc.complaints.filed).toHaveLength(1);
    expect(doc.complaints.against).toHaveLength(1);
    expect(text).not.toContain("staff note");
    expect(doc.feedback[0]).toMatchObject({ body: "love it", rating: 5 });
    expect(doc.adminApplications[0]).toMatchObject({ reason: "I help" });
    expect(doc.messages[0]).toMatchObject({ template: "VERIFY_CODE" });
    expect(doc.mfa.enabled).toBe(true);
  });
});
