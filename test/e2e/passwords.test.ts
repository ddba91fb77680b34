import { describe, expect, it } from "vitest";
import { given } from "#test/steps/given";
import { expireCode } from "#test/steps/table";
import { expectProblem, latestCode, mailsMatching } from "#test/steps/then";
import { when } from "#test/steps/when";

describe("passwords", () => {
  it("resets a forgotten password by code; every old session ends", async () => {
    const { user, tokens } = await given.aSignedInUser();
    expect((await when.forgot(user.email)).status).toBe(202);
    const code = await latestCode(user.email, /reset/i);
    const newPassword = given.strongPassword();
    const reset = await when.reset(user.email, code, newPassword);
    expect(reset.status, reset.text).toBe(204);

    expectProblem(await when.getMe(tokens.accessToken), 401, "TOKEN_REVOKED");
    expectProblem(await when.refresh(tokens.refreshToken), 401, "INVALID_REFRESH_TOKEN");
    expectProblem(await when.login(user.username, user.password), 401, "INVALID_CREDENTIALS");
    expect((await when.login(user.username, newPassword)).status).toBe(200);
    // Single use: the code is gone, and a login without a code answers like a wrong one.
    expectProblem(await when.reset(user.email, code, given.strongPassword()), 400, "CODE_MISMATCH");
    await mailsMatching(user.email, /password was changed/i);
  });

  it("answers 202 for unknown accounts and refuses wrong, expired and weak resets", async () => {
    expect((await when.forgot(given.uniqueEmail("nobody"))).status).toBe(202);
    const user = await given.aVerifiedUser();
    await when.forgot(user.username);
    const code = await latestCode(user.email, /reset/i);
    expectProblem(await when.reset(user.email, code, "password123"), 400, "VALIDATION_FAILED");
    const wrong = await when.reset(user.email, code === "123456" ? "654321" : "123456", given.strongPassword());
    expectProblem(wrong, 400, "CODE_MISMATCH");
    expect(wrong.body.attemptsRemaining).toBe(4);
    await expireCode(user.userId, "RESET");
    expectProblem(await when.reset(user.email, code, given.strongPassword()), 400, "CODE_EXPIRED");
  });

  it("changes the password, keeping this session and ending the others", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const other = await when.login(user.username, user.password, { headers: { "user-agent": "Other/1" } });
    const newPassword = given.strongPassword();
    const res = await when.changePassword(tokens.accessToken, { currentPassword: user.password, newPassword });
    expect(res.status, res.text).toBe(204);
    expect((await when.getMe(tokens.accessToken)).status).toBe(200);
    expectProblem(await when.getMe(other.body.accessToken), 401, "TOKEN_REVOKED");
    expectProblem(await when.refresh(other.body.refreshToken), 401, "INVALID_REFRESH_TOKEN");
    expect((await when.refresh(tokens.refreshToken)).status).toBe(200);
    expect((await when.login(user.username, newPassword)).status).toBe(200);
  });

  it("refuses a wrong current password and a weak new one", async () => {
    const { user, tokens } = await given.aSignedInUser();
    expectProblem(
      await when.changePassword(tokens.accessToken, { currentPassword: "Not-the-password-1", newPassword: given.strongPassword() }),
      400,
      "CURRENT_PASSWORD_INCORRECT",
    );
    expectProblem(
      await when.changePassword(tokens.accessToken, { currentPassword: user.password, newPassword: "qwertyuiop" }),
      400,
      "VALIDATION_FAILED",
    );
  });
});
