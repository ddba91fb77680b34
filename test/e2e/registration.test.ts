import { describe, expect, it } from "vitest";
import { given, POLICY_VERSION } from "#test/steps/given";
import { allItems, expireCode } from "#test/steps/table";
import { expectProblem, latestCode, mailsTo, smsTo } from "#test/steps/then";
import { call, when } from "#test/steps/when";

describe("registration and verification", () => {
  it("registers, verifies with the mailed code and then signs in", async () => {
    const body = given.registration({ displayName: "Alice" });
    const registered = await when.register(body);
    expect(registered.status, registered.text).toBe(201);
    expect(registered.body).toMatchObject({
      userId: expect.any(String),
      status: "PENDING_VERIFICATION",
      verification: { channel: "EMAIL", destination: `${body.email[0]}***@example.com` },
    });

    const beforeVerify = await when.login(body.username, body.password);
    expectProblem(beforeVerify, 403, "ACCOUNT_NOT_VERIFIED");

    const code = await latestCode(body.email);
    const verified = await when.verify(body.email, code);
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body).toEqual({ status: "ACTIVE" });

    const login = await when.login(body.username, body.password);
    expect(login.status, login.text).toBe(200);
    const me = await when.getMe(login.body.accessToken);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: body.username, email: body.email, status: "ACTIVE", level: "NEWBIE", emailVerified: true });
  });

  it("registers with a phone only and verifies with the SMS code", async () => {
    const phone = given.uniquePhone();
    const body = given.registration({ email: undefined, phone });
    const registered = await when.register(body);
    expect(registered.status, registered.text).toBe(201);
    expect(registered.body.verification).toEqual({ channel: "SMS", destination: `${phone.slice(3, 6)}****${phone.slice(-4)}` });
    const code = await latestCode(phone);
    expect(await smsTo(phone)).toHaveLength(1);
    const verified = await when.verify(phone, code);
    expect(verified.status, verified.text).toBe(200);
    const login = await when.login(phone, body.password);
    expect(login.status, login.text).toBe(200);
  });

  it("lets exactly one of 20 parallel registrations of one e-mail succeed", async () => {
    const email = given.uniqueEmail("race");
    const results = await Promise.all(
      Array.from({ length: 20 }, () => when.register(given.registration({ email: email.toUpperCase() === email ? email : email }))),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expectProblem(results.find((r) => r.status === 409) as (typeof results)[number], 409, "ACCOUNT_EXISTS");
  });

  it("treats e-mails case-insensitively for uniqueness and login", async () => {
    const user = await given.aVerifiedUser();
    const again = await when.register(given.registration({ email: user.email.toUpperCase() }));
    expectProblem(again, 409, "ACCOUNT_EXISTS");
    // The taken field is named (and only that one), so a form can show the error beside it.
    expect(again.body.errors.map((e: { path: string }) => e.path)).toEqual(["body.email"]);
    const login = await when.login(user.email.toUpperCase(), user.password);
    expect(login.status, login.text).toBe(200);
  });

  it("refuses a taken username whatever its case", async () => {
    const user = await given.aRegisteredUser();
    const again = await when.register(given.registration({ username: user.username.toUpperCase() }));
    expectProblem(again, 409, "ACCOUNT_EXISTS");
    expect(again.body.errors.map((e: { path: string }) => e.path)).toEqual(["body.username"]);
  });

  it.each([
    ["too short", "Ab1-xyz"],
    ["common", "password123"],
    ["containing the username", "USERNAME"],
  ])("refuses a weak password (%s) with a field error", async (_name, password) => {
    const body = given.registration();
    const res = await when.register({ ...body, password: password === "USERNAME" ? `x-${body.username}-9` : password });
    expectProblem(res, 400, "VALIDATION_FAILED");
    expect(res.body.errors).toEqual([{ path: "body.password", message: expect.any(String) }]);
  });

  it("rejects unknown fields, bad formats, malformed JSON and other content types", async () => {
    const unknown = await when.register({ ...given.registration(), isAdmin: true });
    expectProblem(unknown, 400, "VALIDATION_FAILED");
    expect(JSON.stringify(unknown.body.errors)).toContain("isAdmin");

    const badEmail = await when.register(given.registration({ email: "not-an-email" }));
    expectProblem(badEmail, 400, "VALIDATION_FAILED");
    expect(badEmail.body.errors[0].path).toBe("body.email");

    const noContact = await when.register(given.registration({ email: undefined }));
    expectProblem(noContact, 400, "VALIDATION_FAILED");

    expectProblem(
      await call("POST", "/auth/register", { rawBody: '{"username": "x",', headers: { "content-type": "application/json" } }),
      400,
      "MALFORMED_JSON",
    );
    expectProblem(
      await call("POST", "/auth/register", { rawBody: "username=x", headers: { "content-type": "application/x-www-form-urlencoded" } }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
    expectProblem(
      await call("POST", "/auth/register", { rawBody: "[1,2]", headers: { "content-type": "application/json" } }),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("requires consent to the current privacy policy version", async () => {
    const res = await when.register(given.registration({ consent: { privacyPolicyVersion: "2020-01" } }));
    expectProblem(res, 400, "CONSENT_OUTDATED");
    expect(res.body.detail).toContain(POLICY_VERSION);
  });

  it("counts wrong codes, then refuses even the right one after 5 tries", async () => {
    const user = await given.aRegisteredUser();
    const code = await latestCode(user.email);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let remaining = 4; remaining >= 0; remaining--) {
      const res = await when.verify(user.email, wrong);
      expectProblem(res, 400, "CODE_MISMATCH");
      expect(res.body.attemptsRemaining).toBe(remaining);
    }
    const locked = await when.verify(user.email, code);
    expectProblem(locked, 429, "TOO_MANY_ATTEMPTS");
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("refuses an expired code, and answers a repeated verify as the first", async () => {
    const user = await given.aRegisteredUser();
    const code = await latestCode(user.email);
    await expireCode(user.userId, "VERIFY");
    expectProblem(await when.verify(user.email, code), 400, "CODE_EXPIRED");

    const resent = await when.resend(user.email);
    expect(resent.status).toBe(202);
    const fresh = await latestCode(user.email, /code/i, { after: 1 });
    expect((await when.verify(user.email, fresh)).status).toBe(200);
    // Verifying again with the code it used answers as the first time (a retried request must not fail).
    expect((await when.verify(user.email, fresh)).body).toEqual({ status: "ACTIVE" });
  });

  it("enforces the 60 s resend cooldown and answers 202 for unknown logins", async () => {
    const user = await given.aRegisteredUser();
    const cooldown = await when.resend(user.email);
    expectProblem(cooldown, 429, "RESEND_COOLDOWN");
    const wait = Number(cooldown.headers["retry-after"]);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect((await when.resend(given.uniqueEmail("nobody"))).status).toBe(202);
    await latestCode(user.email);
    await new Promise((r) => setTimeout(r, 500)); // room for a (wrong) second mail through the outbox
    expect(await mailsTo(user.email)).toHaveLength(1);
  });

  it("keeps no raw e-mail or phone in the table", async () => {
    const phone = given.uniquePhone();
    const user = await given.aVerifiedUser({ phone });
    const raw = JSON.stringify(await allItems());
    expect(raw).not.toContain(user.email);
    expect(raw).not.toContain(phone);
    expect(raw).not.toContain(phone.slice(1));
  });
});
