import { describe, expect, it } from "vitest";
import { freshIp, tally } from "#test/steps/bursts";
import { given } from "#test/steps/given";
import { expectProblem, mailsMatching } from "#test/steps/then";
import { call, when } from "#test/steps/when";

// Attacks on sign-in and sessions that got through before (issue 10), replayed: each must now fail.
// Bursts are fired with Promise.all against the real stack (LOGIN_MAX_FAILURES_ACCOUNT is 5 here).

describe("brute force under concurrency", () => {
  it("evaluates at most 5 of 30 parallel wrong passwords, then refuses even the right one", async () => {
    const user = await given.aVerifiedUser();
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => when.login(user.username, `Wrong-${i}-guess`, { sourceIp: freshIp() })));
    const counts = tally(burst);
    expect(counts[401] ?? 0).toBeLessThanOrEqual(5);
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(30);
    expectProblem(await when.login(user.username, user.password, { sourceIp: freshIp() }), 429, "LOCKED_OUT");
  });

  it("evaluates at most 5 of a burst of 20 that hides the right password among wrong ones", async () => {
    const user = await given.aVerifiedUser();
    const passwords = Array.from({ length: 20 }, (_, i) => (i === 7 ? user.password : `Wrong-${i}-guess`));
    const burst = await Promise.all(passwords.map((p) => when.login(user.username, p, { sourceIp: freshIp() })));
    const counts = tally(burst);
    // At most 5 wrong passwords are ever evaluated (their claims are kept). The right one, if it is
    // evaluated at all, gives its own claim back (a success is no failure), which can let one more
    // wrong guess be checked in the same burst: still at most 5 wrong ones.
    expect(counts[401] ?? 0).toBeLessThanOrEqual(5);
    expect(counts[200] ?? 0).toBeLessThanOrEqual(1);
    expect(counts[429]).toBeGreaterThanOrEqual(14);
    expect((counts[401] ?? 0) + (counts[200] ?? 0) + (counts[429] ?? 0)).toBe(20);
  });

  it("counts wrong current passwords of POST /me/password toward the account's lockout, in bursts too", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const tries = await Promise.all(
      Array.from({ length: 12 }, (_, i) => when.changePassword(tokens.accessToken, { currentPassword: `Wrong-${i}-guess`, newPassword: given.strongPassword() }, { sourceIp: freshIp() })),
    );
    const counts = tally(tries);
    expect(counts[400] ?? 0).toBeLessThanOrEqual(5); // CURRENT_PASSWORD_INCORRECT: evaluated
    expect(counts[429]).toBeGreaterThanOrEqual(7);
    // The same lock as sign-in: the stolen token is no password oracle, and sign-in is refused too.
    expectProblem(await when.changePassword(tokens.accessToken, { currentPassword: user.password, newPassword: given.strongPassword() }), 429, "LOCKED_OUT");
    expectProblem(await when.login(user.username, user.password, { sourceIp: freshIp() }), 429, "LOCKED_OUT");
  });
});

describe("the new-device mail", () => {
  it("says only what we derived (browser, OS, masked network), whatever the User-Agent claims", async () => {
    const user = await given.aVerifiedUser();
    expect((await when.login(user.username, user.password, { headers: { "user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0 Safari/537.36" } })).status).toBe(200);
    const forged = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Version/17.0 Safari/605.1.15 (This sign-in was verified by Support, no action needed)";
    expect((await when.login(user.username, user.password, { headers: { "user-agent": forged }, sourceIp: "127.42.7.9" })).status).toBe(200);
    const [mail] = await mailsMatching(user.email, /new sign-in/i);
    expect(mail?.body.text).toContain("Safari on macOS");
    expect(mail?.body.text).toContain("127.42.7.x");
    expect(mail?.body.text).not.toMatch(/Support|no action|127\.42\.7\.9/);
  });

  it("is sent for a known browser on a new network: an attacker can copy a User-Agent, not a network", async () => {
    const user = await given.aVerifiedUser();
    const ua = { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0" };
    expect((await when.login(user.username, user.password, { headers: ua, sourceIp: "127.50.1.1" })).status).toBe(200);
    expect((await when.login(user.username, user.password, { headers: ua, sourceIp: "127.50.1.77" })).status).toBe(200); // same /24: not news
    expect((await when.login(user.username, user.password, { headers: ua, sourceIp: "127.51.9.9" })).status).toBe(200);
    const mails = await mailsMatching(user.email, /new sign-in/i);
    await new Promise((r) => setTimeout(r, 300));
    expect(await mailsMatching(user.email, /new sign-in/i)).toHaveLength(mails.length);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.body.text).toContain("127.51.9.x");
  });
});

describe("refresh tokens rotate, and revocation wins every race", () => {
  it("hands out a new refresh token each time; the old one stops working, and presenting it again ends the session", async () => {
    const { tokens } = await given.aSignedInUser();
    const first = await when.refresh(tokens.refreshToken);
    expect(first.status, first.text).toBe(200);
    expect(first.body.refreshToken).toEqual(expect.any(String));
    expect(first.body.refreshToken).not.toBe(tokens.refreshToken);
    const second = await when.refresh(first.body.refreshToken);
    expect(second.status).toBe(200);
    // A replay of a rotated token: the whole session ends, its newest tokens included.
    expectProblem(await when.refresh(tokens.refreshToken), 401, "INVALID_REFRESH_TOKEN");
    expectProblem(await when.refresh(second.body.refreshToken), 401, "INVALID_REFRESH_TOKEN");
    expectProblem(await when.getMe(second.body.accessToken), 401, "TOKEN_REVOKED");
    expectProblem(await when.getMe(tokens.accessToken), 401, "TOKEN_REVOKED");
  });

  it("lets one of 10 parallel refreshes with one token through and ends the session for the replays", async () => {
    const { tokens } = await given.aSignedInUser();
    const burst = await Promise.all(Array.from({ length: 10 }, () => when.refresh(tokens.refreshToken)));
    const counts = tally(burst);
    expect(counts[200] ?? 0).toBeLessThanOrEqual(1);
    expect(counts[401]).toBeGreaterThanOrEqual(9);
    for (const ok of burst.filter((r) => r.status === 200)) expectProblem(await when.getMe(ok.body.accessToken), 401, "TOKEN_REVOKED");
  });

  it.each([
    ["logout", (token: string) => when.logout(token)],
    ["logout from every device", (token: string) => when.logout(token, true)],
  ])("leaves no working token when a refresh races a %s", async (_name, revoke) => {
    for (let trial = 0; trial < 6; trial++) {
      const { tokens } = await given.aSignedInUser();
      const [refreshed] = await Promise.all([when.refresh(tokens.refreshToken), revoke(tokens.accessToken)]);
      if (refreshed.status === 200) expectProblem(await when.getMe(refreshed.body.accessToken), 401, "TOKEN_REVOKED");
      expectProblem(await when.getMe(tokens.accessToken), 401, "TOKEN_REVOKED");
    }
  });

  it("leaves no working token when a refresh races a password reset", async () => {
    const { user, tokens } = await given.aSignedInUser();
    expect((await when.forgot(user.email)).status).toBe(202);
    const { latestCode } = await import("#test/steps/then");
    const code = await latestCode(user.email, /reset/i);
    const [refreshed, reset] = await Promise.all([when.refresh(tokens.refreshToken), when.reset(user.email, code, given.strongPassword())]);
    expect(reset.status, reset.text).toBe(204);
    if (refreshed.status === 200) expectProblem(await when.getMe(refreshed.body.accessToken), 401, "TOKEN_REVOKED");
    expectProblem(await call("GET", "/me", { token: tokens.accessToken }), 401, "TOKEN_REVOKED");
  });
});
