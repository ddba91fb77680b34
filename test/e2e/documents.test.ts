import { beforeAll, describe, expect, it } from "vitest";
import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import {
  aDeclaration,
  aPassportNumber,
  aResidentIdNumber,
  collectQueue,
  documents,
  etagOf,
  expiresParam,
  idCardFiles,
  idWithBirth,
  imageBytes,
  keyOf,
  storedObject,
  type Upload,
  uploadTo,
  withWrongCheckDigit,
  yearsAgo,
} from "#test/steps/documents";
import { given } from "#test/steps/given";
import { expectProblem, mailsMatching } from "#test/steps/then";
import { table } from "#test/steps/table";
import { call, when } from "#test/steps/when";

type Staff = Awaited<ReturnType<typeof given.aSignedInStaffMember>>;
let reviewer: Staff;
let admin: Staff;

beforeAll(async () => {
  [reviewer, admin] = await Promise.all([given.aSignedInStaffMember(["reviewer"]), given.aSignedInStaffMember(["admin"])]);
});

describe("identity documents", () => {
  it("goes from upload to approval: queue, audited review with image URLs, decision, mail, identityStatus", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const number = aResidentIdNumber();
    const created = await documents.create(tokens.accessToken, aDeclaration({ documentNumber: number, fullName: "王小明" }));
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ submissionId: expect.any(String), status: "AWAITING_UPLOAD" });
    const uploads = created.body.uploads as Upload[];
    expect(uploads.map((u) => u.kind).sort()).toEqual(["BACK", "FRONT", "SELFIE"]);
    for (const upload of uploads) {
      expect(upload).toMatchObject({ method: "PUT", headers: { "content-type": expect.any(String), "content-length": "2048" } });
      expect(expiresParam(upload.url)).toBe(300);
      expect(new Date(upload.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(300_000);
      // Object keys carry ids only.
      expect(decodeURIComponent(upload.url)).toContain(`documents/${user.userId}/${created.body.submissionId}/${upload.kind}`);
      expect(decodeURIComponent(upload.url)).not.toContain(number);
      expect((await uploadTo(upload)).status).toBe(200);
    }

    const submitted = await documents.submit(tokens.accessToken, created.body.submissionId);
    expect(submitted.status, submitted.text).toBe(202);
    expect(submitted.body).toMatchObject({ status: "PENDING_REVIEW" });
    expect((await when.getMe(tokens.accessToken)).body.identityStatus).toBe("PENDING_REVIEW");
    expectProblem(await documents.submit(tokens.accessToken, created.body.submissionId), 409, "ALREADY_SUBMITTED");
    expectProblem(await documents.create(tokens.accessToken, aDeclaration()), 409, "REVIEW_PENDING");

    // In the queue (masked), reviewable with short-lived image URLs.
    const queued = await collectQueue(reviewer.tokens.accessToken);
    const entry = queued.find((i) => i.submissionId === created.body.submissionId);
    expect(entry).toMatchObject({ userId: user.userId, type: "ID_CARD", status: "PENDING_REVIEW", fullName: "王**" });
    expect(entry?.documentNumber).toBe(`${number.slice(0, 4)}**********${number.slice(-4)}`);

    const review = await documents.review(reviewer.tokens.accessToken, created.body.submissionId);
    expect(review.status, review.text).toBe(200);
    expect(review.body).toMatchObject({ fullName: "王**", status: "PENDING_REVIEW" }); // a reviewer has no data:pii:read
    expect(review.body.files).toHaveLength(3);
    for (const file of review.body.files) {
      expect(expiresParam(file.url)).toBe(300);
      const image = await fetch(file.url);
      expect(image.status).toBe(200);
      expect((await image.arrayBuffer()).byteLength).toBe(2048);
    }
    const adminView = await documents.review(admin.tokens.accessToken, created.body.submissionId);
    expect(adminView.body).toMatchObject({ fullName: "王小明", documentNumber: number });

    const decided = await documents.decide(reviewer.tokens.accessToken, created.body.submissionId, { decision: "APPROVE" });
    expect(decided.status, decided.text).toBe(200);
    expect(decided.body).toMatchObject({ status: "APPROVED", decision: "APPROVE", decidedBy: expect.any(String) });
    expect((await when.getMe(tokens.accessToken)).body.identityStatus).toBe("APPROVED");
    const mine = await documents.mine(tokens.accessToken);
    expect(mine.body.items[0]).toMatchObject({ submissionId: created.body.submissionId, status: "APPROVED", decidedAt: expect.any(String) });
    await mailsMatching(user.email, /verified/i);

    // Only once.
    expectProblem(await documents.decide(admin.tokens.accessToken, created.body.submissionId, { decision: "REJECT", reason: "late" }), 409, "ALREADY_DECIDED");

    // Every staff read and the decision are in the audit trail, newest first.
    const audit = await documents.audit(admin.tokens.accessToken, `?userId=${user.userId}`);
    expect(audit.status, audit.text).toBe(200);
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(["REVIEW_DECIDED", "REVIEW_VIEWED", "REVIEW_VIEWED"]);
    expect(audit.body.items[0]).toMatchObject({ actorId: decided.body.decidedBy, targetUserId: user.userId, subject: created.body.submissionId, requestId: expect.any(String) });
    const byActor = await documents.audit(admin.tokens.accessToken, `?actorId=${decided.body.decidedBy}&limit=100`);
    expect(byActor.body.items.some((e: { subject?: string; action: string }) => e.subject === created.body.submissionId && e.action === "REVIEW_DECIDED")).toBe(true);
  });

  it.each([
    ["a number of the wrong length", { documentNumber: "11010119900307123" }, "INVALID_ID_NUMBER_FORMAT"],
    ["a wrong check digit", { documentNumber: withWrongCheckDigit(aResidentIdNumber()) }, "INVALID_ID_CHECK_DIGIT"],
    ["an impossible birth date", { documentNumber: idWithBirth("19901345") }, "INVALID_BIRTH_DATE"],
    ["a birth date in the future", { documentNumber: idWithBirth("29990101") }, "INVALID_BIRTH_DATE"],
    ["an applicant under 18", { documentNumber: idWithBirth(yearsAgo(17)) }, "UNDERAGE"],
    ["a malformed passport number", { type: "PASSPORT", documentNumber: "E12", files: idCardFiles().filter((f) => f.kind !== "BACK") }, "INVALID_PASSPORT_NUMBER"],
    ["an implausible name", { fullName: "x1" }, "IMPLAUSIBLE_NAME"],
  ])("rejects %s at once, with the reason", async (_what, overrides, reasonCode) => {
    const { tokens } = await given.aSignedInUser();
    const { submissionId } = await documents.uploaded(tokens.accessToken, overrides);
    const res = await documents.submit(tokens.accessToken, submissionId);
    expect(res.status, res.text).toBe(202);
    expect(res.body).toMatchObject({ status: "REJECTED", reasonCode, reason: expect.any(String) });
    expect((await documents.mine(tokens.accessToken)).body.items[0]).toMatchObject({ status: "REJECTED", reasonCode, reason: res.body.reason });
    expect((await when.getMe(tokens.accessToken)).body.identityStatus).toBe("REJECTED");
  });

  it("passes a valid passport to review", async () => {
    const { tokens } = await given.aSignedInUser();
    const res = await documents.submitted(tokens.accessToken, {
      type: "PASSPORT",
      fullName: "Jane Doe",
      documentNumber: aPassportNumber(),
      files: [
        { kind: "FRONT", contentType: "application/pdf", size: 4096 },
        { kind: "SELFIE", contentType: "image/jpeg", size: 1024 },
      ],
    });
    expect(res.status, res.text).toBe(202);
    expect(res.body.status).toBe("PENDING_REVIEW");
    const queued = await collectQueue(reviewer.tokens.accessToken);
    expect(queued.find((i) => i.submissionId === res.submissionId)?.fullName).toBe("J*** D**");
  });

  it("lets a rejected user submit again (reason required to reject)", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const number = aResidentIdNumber();
    const first = await documents.submitted(tokens.accessToken, { documentNumber: number });
    expect(first.body.status).toBe("PENDING_REVIEW");
    const noReason = await documents.decide(reviewer.tokens.accessToken, first.submissionId, { decision: "REJECT" });
    expectProblem(noReason, 400, "VALIDATION_FAILED");
    expect(noReason.body.errors[0].path).toBe("body.reason");
    const rejected = await documents.decide(reviewer.tokens.accessToken, first.submissionId, { decision: "REJECT", reason: "The photo is blurred" });
    expect(rejected.status, rejected.text).toBe(200);
    expect((await when.getMe(tokens.accessToken)).body.identityStatus).toBe("REJECTED");
    const [mail] = await mailsMatching(user.email, /not approved/i);
    expect(mail?.body.text).toContain("The photo is blurred");

    const again = await documents.submitted(tokens.accessToken, { documentNumber: number });
    expect(again.status, again.text).toBe(202);
    expect(again.body.status).toBe("PENDING_REVIEW");
    expect((await documents.mine(tokens.accessToken)).body.items.map((i: { status: string }) => i.status)).toEqual(["PENDING_REVIEW", "REJECTED"]);
  });

  it("refuses the same document number on a second account while pending or approved", async () => {
    const number = aResidentIdNumber();
    const a = await given.aSignedInUser();
    const b = await given.aSignedInUser();
    const c = await given.aSignedInUser();
    const first = await documents.submitted(a.tokens.accessToken, { documentNumber: number });
    expect(first.body.status).toBe("PENDING_REVIEW");
    const second = await documents.submitted(b.tokens.accessToken, { documentNumber: number.toLowerCase() });
    expect(second.body).toMatchObject({ status: "REJECTED", reasonCode: "DUPLICATE_DOCUMENT" });

    expect((await documents.decide(reviewer.tokens.accessToken, first.submissionId, { decision: "APPROVE" })).status).toBe(200);
    const third = await documents.submitted(c.tokens.accessToken, { documentNumber: number });
    expect(third.body).toMatchObject({ status: "REJECTED", reasonCode: "DUPLICATE_DOCUMENT" });
  });

  it("keeps users to their own submissions (404) and staff routes to staff (403)", async () => {
    const a = await given.aSignedInUser();
    const b = await given.aSignedInUser();
    const { submissionId } = await documents.uploaded(a.tokens.accessToken);
    expectProblem(await documents.submit(b.tokens.accessToken, submissionId), 404, "NOT_FOUND");
    expect((await documents.mine(b.tokens.accessToken)).body.items).toEqual([]);
    for (const [method, path] of [
      ["GET", "/admin/reviews"],
      ["GET", `/admin/reviews/${submissionId}`],
      ["POST", `/admin/reviews/${submissionId}/decision`],
      ["GET", `/admin/audit?userId=${a.user.userId}`],
      ["GET", "/admin/users?status=ACTIVE"],
      ["GET", `/admin/users/${a.user.userId}`],
    ] as const) {
      const res = await call(method, path, { token: a.tokens.accessToken, ...(method === "POST" ? { body: { decision: "APPROVE" } } : {}) });
      expectProblem(res, 403, "STAFF_ONLY");
    }
    // A reviewer may review but not read the audit trail.
    expectProblem(await documents.audit(reviewer.tokens.accessToken, `?userId=${a.user.userId}`), 403, "FORBIDDEN");
    expectProblem(await documents.review(reviewer.tokens.accessToken, "00000000-0000-4000-8000-000000000000"), 404, "NOT_FOUND");
    // Not yet submitted: not in review.
    expectProblem(await documents.review(reviewer.tokens.accessToken, submissionId), 404, "NOT_FOUND");
  });

  it("checks each upload at submit: missing, wrong type, wrong size", async () => {
    const { tokens } = await given.aSignedInUser();
    const created = await documents.create(tokens.accessToken, aDeclaration());
    const [front, back, selfie] = created.body.uploads as Upload[];
    if (!front || !back || !selfie) throw new Error("three uploads expected");
    expect((await uploadTo(front, { contentType: "image/gif" })).status).toBe(200);
    expect((await uploadTo(back, { size: 4096 })).status).toBe(200);
    const res = await documents.submit(tokens.accessToken, created.body.submissionId);
    expectProblem(res, 400, "VALIDATION_FAILED");
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["files.BACK", "files.FRONT", "files.SELFIE"]);
    expect(res.body.errors.find((e: { path: string }) => e.path === "files.SELFIE").message).toMatch(/not uploaded/i);

    // Uploading again as declared fixes it.
    for (const upload of [front, back, selfie]) expect((await uploadTo(upload)).status).toBe(200);
    expect((await documents.submit(tokens.accessToken, created.body.submissionId)).body.status).toBe("PENDING_REVIEW");
  });

  it("refuses bad declarations: type, size, kinds", async () => {
    const { tokens } = await given.aSignedInUser();
    const gif = await documents.create(tokens.accessToken, aDeclaration({ files: [{ kind: "FRONT", contentType: "image/gif", size: 10 }] }));
    expectProblem(gif, 400, "VALIDATION_FAILED");
    expect(gif.body.errors[0].message).toMatch(/image\/jpeg.*image\/png.*application\/pdf/);
    const big = idCardFiles();
    big[0] = { kind: "FRONT", contentType: "image/jpeg", size: 10 * 1024 * 1024 + 1 };
    expectProblem(await documents.create(tokens.accessToken, aDeclaration({ files: big })), 400, "VALIDATION_FAILED");
    expectProblem(await documents.create(tokens.accessToken, aDeclaration({ files: idCardFiles().slice(0, 2) })), 400, "VALIDATION_FAILED");
    expectProblem(await documents.create(tokens.accessToken, aDeclaration({ type: "VISA" })), 400, "VALIDATION_FAILED");
    expectProblem(await documents.create(tokens.accessToken, { ...aDeclaration(), extra: 1 }), 400, "VALIDATION_FAILED");
  });

  it("hands out upload URLs that S3 stops accepting once they expire", async () => {
    const { tokens } = await given.aSignedInUser();
    const created = await documents.create(tokens.accessToken, aDeclaration());
    const upload = (created.body.uploads as Upload[])[0] as Upload;
    // Same URL, signed 20 minutes ago: past its X-Amz-Expires (300 s), which the emulator enforces.
    const url = new URL(upload.url);
    const signedAt = new Date(Date.now() - 20 * 60 * 1000).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
    url.searchParams.set("X-Amz-Date", signedAt);
    const expired = await uploadTo({ ...upload, url: url.toString() });
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/expired/i);
    expect((await uploadTo(upload)).status).toBe(200);
  });

  it("lists the queue oldest first across shards, page by page", async () => {
    const submitted: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { tokens } = await given.aSignedInUser();
      const res = await documents.submitted(tokens.accessToken);
      expect(res.body.status).toBe("PENDING_REVIEW");
      submitted.push(res.submissionId);
    }
    const items = await collectQueue(reviewer.tokens.accessToken, 2);
    const times = items.map((i) => i.submittedAt);
    expect(times).toEqual([...times].sort());
    expect(new Set(items.map((i) => i.submissionId)).size).toBe(items.length);
    const positions = submitted.map((id) => items.findIndex((i) => i.submissionId === id));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    expectProblem(await documents.queue(reviewer.tokens.accessToken, "?cursor=bm90LWEtY3Vyc29y"), 400, "INVALID_CURSOR");
    expectProblem(await documents.queue(reviewer.tokens.accessToken, "?status=DONE"), 400, "VALIDATION_FAILED");
  });
});

// Findings of the security review, each replayed as the attack over HTTP.
describe("identity documents: write-once images and one review at a time", () => {
  it("seals the checked images at submit: a PUT to the same upload URL afterwards, or after approval, changes nothing anyone sees", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const { submissionId, uploads } = await documents.uploaded(tokens.accessToken);
    for (const upload of uploads) expect(expiresParam(upload.url)).toBe(300);
    const original = imageBytes(2048);
    expect((await documents.submit(tokens.accessToken, submissionId)).body.status).toBe("PENDING_REVIEW");
    // The uploads are gone once sealed.
    for (const upload of uploads) expect((await storedObject(keyOf(upload.url))).status).toBe(404);

    const attack = async (fill: number) => {
      for (const upload of uploads) expect((await uploadTo(upload, { fill })).status).toBe(200); // the URL still works: S3 takes it
      const seen = await documents.imagesShown(reviewer.tokens.accessToken, submissionId);
      expect(seen.map((f) => f.kind).sort()).toEqual(["BACK", "FRONT", "SELFIE"]);
      for (const file of seen) {
        expect(file.key).toMatch(new RegExp(`^submitted/${user.userId}/${submissionId}/[0-9a-f-]{36}/${file.kind}$`));
        expect(file.bytes).toEqual(original);
        expect(file.etag).toBe(etagOf(original));
        expect(file.recorded).toBe(file.etag);
      }
    };
    await attack(0x66);
    const decided = await documents.decide(reviewer.tokens.accessToken, submissionId, { decision: "APPROVE" });
    expect(decided.status, decided.text).toBe(200);
    await attack(0x77);
    // The decision's audit entry names the ETags of what was approved.
    const audit = await documents.audit(admin.tokens.accessToken, `?userId=${user.userId}`);
    const entry = audit.body.items.find((e: { action: string }) => e.action === "REVIEW_DECIDED");
    expect(entry.details.files.split(",").sort()).toEqual(["BACK", "FRONT", "SELFIE"].map((k) => `${k}:${etagOf(original)}`));
  });

  it("lets one of two parallel submits of a document into review, the other 409; rejecting it answers 200 and the other may follow", async () => {
    const { tokens } = await given.aSignedInUser();
    const number = aResidentIdNumber();
    const a = await documents.uploaded(tokens.accessToken, { documentNumber: number });
    const b = await documents.uploaded(tokens.accessToken, { documentNumber: number });
    const answers = await Promise.all([a, b].map((s) => documents.submit(tokens.accessToken, s.submissionId)));
    expect(answers.map((r) => r.status).sort(), answers.map((r) => r.text).join("\n")).toEqual([202, 409]);
    const [inReview, refused] = answers[0]?.status === 202 ? [a, b] : [b, a];
    expect(answers.find((r) => r.status === 202)?.body.status).toBe("PENDING_REVIEW");
    expectProblem(answers.find((r) => r.status === 409) as (typeof answers)[number], 409, "REVIEW_PENDING");
    const mine = (await documents.mine(tokens.accessToken)).body.items as { submissionId: string; status: string }[];
    expect(mine.filter((s) => s.status === "PENDING_REVIEW").map((s) => s.submissionId)).toEqual([inReview.submissionId]);
    expect(mine.find((s) => s.submissionId === refused.submissionId)?.status).toBe("AWAITING_UPLOAD");

    // Two staff deciding at once: one decision, the other a 409.
    const decisions = await Promise.all(
      [reviewer, admin].map((staff) => documents.decide(staff.tokens.accessToken, inReview.submissionId, { decision: "REJECT", reason: "Blurred" })),
    );
    expect(decisions.map((r) => r.status).sort(), decisions.map((r) => r.text).join("\n")).toEqual([200, 409]);
    expectProblem(decisions.find((r) => r.status === 409) as (typeof decisions)[number], 409, "ALREADY_DECIDED");

    const again = await documents.submit(tokens.accessToken, refused.submissionId);
    expect(again.status, again.text).toBe(202);
    expect(again.body.status).toBe("PENDING_REVIEW");
    expect((await when.getMe(tokens.accessToken)).body.identityStatus).toBe("PENDING_REVIEW");
  });

  it("never gives the review slot to an automatic rejection, and rejects nothing automatically while one is in review", async () => {
    const { tokens } = await given.aSignedInUser();
    const underage = { documentNumber: idWithBirth(yearsAgo(17)) };
    const [bad, good, laterBad] = [await documents.uploaded(tokens.accessToken, underage), await documents.uploaded(tokens.accessToken), await documents.uploaded(tokens.accessToken, underage)];
    expect((await documents.submit(tokens.accessToken, bad.submissionId)).body).toMatchObject({ status: "REJECTED", reasonCode: "UNDERAGE" });
    expect((await documents.submit(tokens.accessToken, good.submissionId)).body.status).toBe("PENDING_REVIEW");
    expectProblem(await documents.submit(tokens.accessToken, laterBad.submissionId), 409, "REVIEW_PENDING");
    expect((await when.getMe(tokens.accessToken)).body.identityStatus).toBe("PENDING_REVIEW");
  });

  it("decides each of two submissions left in review together by data from before the slot (never a 500)", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const number = aResidentIdNumber();
    const [first, second] = [await documents.uploaded(tokens.accessToken, { documentNumber: number }), await documents.uploaded(tokens.accessToken, { documentNumber: number })];
    expect((await documents.submit(tokens.accessToken, first.submissionId)).body.status).toBe("PENDING_REVIEW");
    // What the table looked like before the slot existed: nothing stopped a second one.
    const { client, name } = table();
    await client.send(new DeleteCommand({ TableName: name, Key: { PK: `USER#${user.userId}`, SK: "REVIEW_SLOT" } }));
    expect((await documents.submit(tokens.accessToken, second.submissionId)).body.status).toBe("PENDING_REVIEW");

    for (const submissionId of [first.submissionId, second.submissionId]) {
      const rejected = await documents.decide(reviewer.tokens.accessToken, submissionId, { decision: "REJECT", reason: "Expired document" });
      expect(rejected.status, rejected.text).toBe(200);
    }
    // Both released: the number and the slot are free again.
    expect((await documents.submitted(tokens.accessToken, { documentNumber: number })).body.status).toBe("PENDING_REVIEW");
  });
});
