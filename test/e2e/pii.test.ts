import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { aResidentIdNumber, documents } from "#test/steps/documents";
import { given } from "#test/steps/given";
import { stack } from "#test/steps/stack";
import { allItems } from "#test/steps/table";
import { call, when } from "#test/steps/when";

// Runs the document, review and staff-lookup flows with known PII, then looks for that PII in
// every raw DynamoDB item and in the handlers' log output.

const secrets: string[] = [];

beforeAll(async () => {
  const [reviewer, admin] = await Promise.all([given.aSignedInStaffMember(["reviewer"]), given.aSignedInStaffMember(["admin"])]);
  const phone = given.uniquePhone();
  const a = await given.aSignedInUser({ phone });
  const b = await given.aSignedInUser();
  const number = aResidentIdNumber();
  const fullName = `Zhang Weiqi${Math.random().toString(36).replace(/[^a-z]/g, "").slice(0, 6)}`;
  const chineseName = "欧阳明远";
  secrets.push(a.user.email, phone, phone.slice(3), number, fullName, chineseName, b.user.email);

  // Approved, duplicate, automatic rejection, staff decision with PII reads.
  const first = await documents.submitted(a.tokens.accessToken, { documentNumber: number, fullName });
  expect(first.body.status).toBe("PENDING_REVIEW");
  expect((await documents.submitted(b.tokens.accessToken, { documentNumber: number, fullName: chineseName })).body.reasonCode).toBe(
    "DUPLICATE_DOCUMENT",
  );
  const unmasked = await documents.review(admin.tokens.accessToken, first.submissionId);
  expect(unmasked.body).toMatchObject({ fullName, documentNumber: number }); // the values did pass through the API
  expect((await documents.review(reviewer.tokens.accessToken, first.submissionId)).status).toBe(200);
  expect((await documents.decide(reviewer.tokens.accessToken, first.submissionId, { decision: "APPROVE" })).status).toBe(200);
  const rejected = await documents.submitted(b.tokens.accessToken, { documentNumber: "12345", fullName: chineseName });
  expect(rejected.body.status).toBe("REJECTED");
  for (const login of [a.user.email, phone]) {
    expect((await call("GET", `/admin/users?login=${encodeURIComponent(login)}`, { token: admin.tokens.accessToken })).body.items[0].email).toBe(
      a.user.email,
    );
  }
  expect((await when.getMe(a.tokens.accessToken)).body).toMatchObject({ email: a.user.email, phone, identityStatus: "APPROVED" });
});

describe("PII at rest and in logs", () => {
  it("leaves no plaintext phone, e-mail, document number or full name in any DynamoDB item", async () => {
    const raw = JSON.stringify(await allItems());
    expect(raw).toContain("v1."); // encrypted fields are there...
    for (const secret of secrets) expect(raw.toLowerCase(), secret).not.toContain(secret.toLowerCase()); // ...plaintext is not
  });

  it("writes none of it to the handlers' logs", async () => {
    const log = readFileSync(join(stack().logDir, "offline.log"), "utf8");
    expect(log).toMatch(/"route":"POST \/admin\/reviews\/\{submissionId\}\/decision"/); // the flows above were logged
    for (const secret of secrets) expect(log.toLowerCase(), secret).not.toContain(secret.toLowerCase());
  });
});
