import { beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "#lib/mfa/totp";
import { given } from "#test/steps/given";
import { enrol, freshCode, signIn } from "#test/steps/mfa";
import { stack } from "#test/steps/stack";
import { expectProblem, mailsMatching } from "#test/steps/then";
import { call, when } from "#test/steps/when";

// Two-factor sign-in (issue 12): enrolment, the second sign-in step, single use of every code,
// the challenge's limit, staff enforcement, turning it off.

type Staff = Awaited<ReturnType<typeof given.aSignedInStaffMember>>;
let admin: Staff;
beforeAll(async () => {
  admin = await given.aSignedInStaffMember(["admin"]);
});

const auditActions = async (userId: string) =>
  ((await call("GET", `/admin/audit?userId=${userId}`, { token: admin.tokens.accessToken })).body.items as { action: string }[]).map((e) => e.action);

/** Cognito's own tokens for the password alone, asked of Cognito directly (what an attacker with the password could get). */
async function cognitoTokensFor(userId: string, password: string): Promise<string> {
  const res = await fetch(stack().env.COGNITO_ENDPOINT as string, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.InitiateAuth" },
    body: JSON.stringify({ AuthFlow: "USER_PASSWORD_AUTH", ClientId: stack().env.USER_POOL_CLIENT_ID, AuthParameters: { USERNAME: userId, PASSWORD: password } }),
  });
  const body = (await res.json()) as { AuthenticationResult?: { AccessToken?: string } };
  expect(body.AuthenticationResult?.AccessToken, JSON.stringify(body)).toBeDefined();
  return body.AuthenticationResult?.AccessToken as string;
}

describe("two-factor sign-in", () => {
  it("enrols, asks for the code at login, refuses a wrong one, hands out working tokens for the right one", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const started = await call("POST", "/me/mfa/totp", { token: tokens.accessToken });
    expect(started.status, started.text).toBe(201);
    expect(started.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/.+\?.*secret=[A-Z2-7]+/);
    expect(started.body.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    expect((await when.getMe(tokens.accessToken)).body.mfa).toEqual({ enabled: false, methods: [], recoveryCodesLeft: 0 }); // not before confirming
    expectProblem(await call("POST", "/me/mfa/totp/confirm", { token: tokens.accessToken, body: { code: "000000" } }), 400, "CODE_MISMATCH");
    const confirmed = await call("POST", "/me/mfa/totp/confirm", { token: tokens.accessToken, body: { code: await freshCode(started.body.secret) } });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect((await when.getMe(tokens.accessToken)).body.mfa).toEqual({ enabled: true, methods: ["TOTP", "RECOVERY_CODE"], recoveryCodesLeft: 10 });
    await mailsMatching(user.email, /Two-factor sign-in is on/);

    const first = await when.login(user.username, user.password);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ mfaRequired: true, methods: ["TOTP", "RECOVERY_CODE"], challengeId: expect.any(String) });
    expect(first.body.accessToken).toBeUndefined();

    // Cognito's tokens for the password alone (asked of Cognito directly) open nothing: no token record.
    expectProblem(await when.getMe(await cognitoTokensFor(user.userId, user.password)), 401, "TOKEN_REVOKED");

    const wrong = await when.loginMfa(first.body.challengeId, "123456");
    expectProblem(wrong, 400, "CODE_MISMATCH");
    expect(wrong.body.attemptsRemaining).toBe(4);
    const code = await freshCode(started.body.secret);
    const second = await when.loginMfa(first.body.challengeId, code);
    expect(second.status, second.text).toBe(200);
    expect((await when.getMe(second.body.accessToken)).status).toBe(200);
    expectProblem(await when.loginMfa(first.body.challengeId, code), 400, "CHALLENGE_EXPIRED"); // used up

    // The same time step again, with a new challenge: refused.
    const again = await when.login(user.username, user.password);
    expectProblem(await when.loginMfa(again.body.challengeId, code), 400, "CODE_MISMATCH");
    expect(await auditActions(user.userId)).toContain("MFA_ENABLED");
  });

  it("accepts each recovery code once, and tells the user", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const { recoveryCodes } = await enrol(tokens.accessToken);
    const [code] = recoveryCodes;
    const first = await when.login(user.email, user.password);
    const used = await when.loginMfa(first.body.challengeId, code as string);
    expect(used.status, used.text).toBe(200);
    expect((await when.getMe(used.body.accessToken)).body.mfa.recoveryCodesLeft).toBe(9);
    const again = await when.login(user.email, user.password);
    expectProblem(await when.loginMfa(again.body.challengeId, code as string), 400, "CODE_MISMATCH");
    await mailsMatching(user.email, /recovery code was used/);
    expect(await auditActions(user.userId)).toContain("MFA_RECOVERY_CODE_USED");
  });

  it("ends a challenge after 5 wrong codes: even the right code is refused then", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const { secret } = await enrol(tokens.accessToken);
    const first = await when.login(user.username, user.password);
    for (let i = 0; i < 5; i++) expectProblem(await when.loginMfa(first.body.challengeId, "000000"), 400, "CODE_MISMATCH");
    const after = await when.loginMfa(first.body.challengeId, totpCode(secret));
    expect([400, 429]).toContain(after.status);
    expect(["TOO_MANY_ATTEMPTS", "CHALLENGE_EXPIRED", "LOCKED_OUT"]).toContain(after.body.code);
    expect(after.body.accessToken).toBeUndefined();
  });

  it("refuses staff routes to staff without it (403 MFA_REQUIRED, saying how to enrol), and lets them in after enrolling", async () => {
    const staff = await given.aSignedInStaffMember(["reviewer"], { mfa: false });
    const refused = await call("GET", "/admin/reviews?status=PENDING_REVIEW", { token: staff.tokens.accessToken });
    expectProblem(refused, 403, "MFA_REQUIRED");
    expect(refused.body.detail).toContain("/me/mfa/totp");
    await enrol(staff.tokens.accessToken);
    expect((await call("GET", "/admin/reviews?status=PENDING_REVIEW", { token: staff.tokens.accessToken })).status).toBe(200);
  });

  it("needs the password and a current code to be turned off", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const { secret } = await enrol(tokens.accessToken);
    const off = (body: unknown) => call("DELETE", "/me/mfa", { token: tokens.accessToken, body });
    expectProblem(await off({ password: "Wrong-password-123", code: "000000" }), 400, "CURRENT_PASSWORD_INCORRECT"); // the password is checked first
    expectProblem(await off({ password: user.password, code: "000000" }), 400, "CODE_MISMATCH");
    expect((await off({ password: user.password, code: await freshCode(secret) })).status).toBe(204);
    expect((await when.getMe(tokens.accessToken)).body.mfa.enabled).toBe(false);
    const plain = await signIn(user.username, user.password); // tokens straight from the password again
    expect(plain.accessToken).toBeDefined();
    await mailsMatching(user.email, /Two-factor sign-in is off/);
    expect(await auditActions(user.userId)).toEqual(expect.arrayContaining(["MFA_ENABLED", "MFA_DISABLED"]));
  });
});
