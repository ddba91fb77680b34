import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { given } from "#test/steps/given";
import { expectProblem, mailsMatching, mailsTo } from "#test/steps/then";
import { call, when } from "#test/steps/when";

/** A loopback source address of its own, so per-IP counting here cannot disturb other tests. */
const ownIp = () => `127.${1 + Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`;

describe("login and sessions", () => {
  it("signs in with username, e-mail or phone and records each sign-in", async () => {
    const phone = given.uniquePhone();
    const user = await given.aVerifiedUser({ phone });
    for (const login of [user.username, user.email, phone]) {
      const res = await when.login(login, user.password, { headers: { "user-agent": "TestAgent/1.0" } });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({
        tokenType: "Bearer",
        expiresIn: expect.any(Number),
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
      });
    }
    const session = await when.login(user.username, user.password, { headers: { "user-agent": "TestAgent/1.0" } });
    const activity = await when.activity(session.body.accessToken);
    expect(activity.status).toBe(200);
    expect(activity.body.items).toHaveLength(4);
    expect(activity.body.items[0]).toMatchObject({ type: "LOGIN", ip: expect.any(String), userAgent: "TestAgent/1.0", newDevice: false });
    expect(activity.body.items.at(-1).newDevice).toBe(true);

    const page = await when.activity(session.body.accessToken, "?limit=3");
    expect(page.body.items).toHaveLength(3);
    const rest = await when.activity(session.body.accessToken, `?limit=3&cursor=${page.body.nextCursor}`);
    expect(rest.body.items).toHaveLength(1);
  });

  it("mails the owner when a new device signs in, but not for the first one", async () => {
    const user = await given.aVerifiedUser();
    await when.login(user.username, user.password, { headers: { "user-agent": "Phone/1" } });
    await when.login(user.username, user.password, { headers: { "user-agent": "Phone/1" } });
    await when.login(user.username, user.password, { headers: { "user-agent": "Laptop/2" } });
    // Messages leave in order of their writes: once the alert is there, none came for Phone/1.
    const alerts = await mailsMatching(user.email, /new sign-in/i);
    await new Promise((r) => setTimeout(r, 300));
    expect((await mailsTo(user.email)).filter((m) => /new sign-in/i.test(m.subject))).toHaveLength(1);
    // Only what we derived from the request: browser and OS families, a masked network.
    expect(alerts[0]?.body.text).toContain("Unknown browser on Unknown OS");
    expect(alerts[0]?.body.text).not.toContain("Laptop/2");
  });

  it("answers the same 401 for a wrong password and an unknown user", async () => {
    const user = await given.aVerifiedUser();
    const ip = ownIp();
    expectProblem(await when.login(user.username, "Wrong-password-1", { sourceIp: ip }), 401, "INVALID_CREDENTIALS");
    expectProblem(await when.login(given.uniqueUsername(), "Wrong-password-1", { sourceIp: ip }), 401, "INVALID_CREDENTIALS");
  });

  it("locks an account after 5 failures in its window and refuses even the right password; a success in between is no failure and lifts nothing", async () => {
    const user = await given.aVerifiedUser();
    for (let i = 0; i < 4; i++)
      expectProblem(await when.login(i % 2 ? user.email : user.username, `Wrong-${i}-password`, { sourceIp: ownIp() }), 401, "INVALID_CREDENTIALS");
    expect((await when.login(user.username, user.password)).status).toBe(200); // gives its own try back, forgives nothing
    expectProblem(await when.login(user.username, "Wrong-5-password", { sourceIp: ownIp() }), 401, "INVALID_CREDENTIALS");
    const locked = await when.login(user.username, user.password, { sourceIp: ownIp() });
    expectProblem(locked, 429, "LOCKED_OUT");
    const retryAfter = Number(locked.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it("locks a client IP that fails against many accounts", async () => {
    const ip = ownIp();
    const victim = await given.aVerifiedUser();
    // LOGIN_MAX_FAILURES_IP is 30 in the test stack; spread over unknown accounts so no account locks.
    for (let i = 0; i < 30; i++) {
      expectProblem(await when.login(given.uniqueUsername("ghost"), "Wrong-password-1", { sourceIp: ip }), 401, "INVALID_CREDENTIALS");
    }
    expectProblem(await when.login(victim.username, victim.password, { sourceIp: ip }), 429, "LOCKED_OUT");
    expect((await when.login(victim.username, victim.password, { sourceIp: ownIp() })).status).toBe(200);
  });

  it("refreshes tokens, and a logged-out session can neither call nor refresh", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const refreshed = await when.refresh(tokens.refreshToken);
    expect(refreshed.status, refreshed.text).toBe(200);
    expect((await when.getMe(refreshed.body.accessToken)).status).toBe(200);

    const other = await when.login(user.username, user.password);
    expect((await when.logout(tokens.accessToken)).status).toBe(204);
    expectProblem(await when.getMe(tokens.accessToken), 401, "TOKEN_REVOKED");
    expectProblem(await when.getMe(refreshed.body.accessToken), 401, "TOKEN_REVOKED"); // same session
    expectProblem(await when.refresh(tokens.refreshToken), 401, "INVALID_REFRESH_TOKEN");
    expect((await when.getMe(other.body.accessToken)).status).toBe(200); // another device stays
  });

  it("logs out of every device at once", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const second = await when.login(user.username, user.password, { headers: { "user-agent": "Second/1" } });
    expect((await when.logout(second.body.accessToken, true)).status).toBe(204);
    expectProblem(await when.getMe(tokens.accessToken), 401, "TOKEN_REVOKED");
    expectProblem(await when.getMe(second.body.accessToken), 401, "TOKEN_REVOKED");
    expectProblem(await when.refresh(tokens.refreshToken), 401, "INVALID_REFRESH_TOKEN");
    expect((await when.login(user.username, user.password)).status).toBe(200);
  });

  it("refuses id tokens, tampered tokens, foreign tokens and missing tokens", async () => {
    const { tokens } = await given.aSignedInUser();
    expectProblem(await when.getMe(tokens.idToken), 401, "INVALID_TOKEN");
    const [h, p, s] = tokens.accessToken.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, "cognito:groups": ["admin"] })).toString("base64url");
    expectProblem(await when.getMe(`${h}.${forged}.${s}`), 401, "INVALID_TOKEN");
    const selfSigned = await new SignJWT({ ...claims }).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode("x".repeat(32)));
    expectProblem(await when.getMe(selfSigned), 401, "INVALID_TOKEN");
    expectProblem(await call("GET", "/me"), 401, "UNAUTHORIZED");
    expectProblem(await call("GET", "/me", { headers: { authorization: "Basic abc" } }), 401, "UNAUTHORIZED");
    expectProblem(await when.refresh("not-a-real-refresh-token-at-all"), 401, "INVALID_REFRESH_TOKEN");
  });
});
