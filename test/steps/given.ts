import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { npmRun } from "#test/steps/commands";
import type { HttpOptions } from "#test/steps/http";
import { latestCode } from "#test/steps/then";
import { signIn } from "#test/steps/mfa";
import { when } from "#test/steps/when";

export const POLICY_VERSION = "2026-11";

export interface TestUser {
  username: string;
  email: string;
  phone?: string;
  password: string;
  userId: string;
}

const unique = () => randomUUID().replace(/-/g, "").slice(0, 10);

export const given = {
  uniqueEmail: (prefix = "user") => `${prefix}-${unique()}@example.com`,
  uniqueUsername: (prefix = "u") => `${prefix}${unique()}`,
  /** A random Chinese mobile number in E.164. */
  uniquePhone: () => `+86138${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`,
  strongPassword: () => `Tr4il-${unique()}-Kite`,

  registration(overrides: Record<string, unknown> = {}) {
    return {
      username: given.uniqueUsername(),
      email: given.uniqueEmail(),
      password: given.strongPassword(),
      consent: { privacyPolicyVersion: POLICY_VERSION },
      ...overrides,
    };
  },

  async aRegisteredUser(overrides: Record<string, unknown> = {}, options: HttpOptions = {}): Promise<TestUser> {
    const body = given.registration(overrides);
    const res = await when.register(body, options);
    expect(res.status, res.text).toBe(201);
    return { ...(body as unknown as TestUser), userId: res.body.userId };
  },

  async aVerifiedUser(overrides: Record<string, unknown> = {}, options: HttpOptions = {}): Promise<TestUser> {
    const user = await given.aRegisteredUser(overrides, options);
    const code = await latestCode(user.email ?? user.phone);
    const res = await when.verify(user.email ?? user.phone ?? user.username, code, options);
    expect(res.status, res.text).toBe(200);
    return user;
  },

  /**
   * A staff member created with `npm run create-staff` and signed in. Two-factor sign-in is
   * enrolled at creation (the test stack enforces it for staff, as deployed stages do) unless
   * `mfa: false`; `secret` signs in again (test/steps/mfa.ts).
   */
  async aSignedInStaffMember(groups: string[], options: { mfa?: boolean } = {}) {
    const username = given.uniqueUsername("staff");
    const email = given.uniqueEmail("staff");
    const password = given.strongPassword();
    const mfa = options.mfa ?? true;
    const { stdout } = await npmRun("create-staff", ["--username", username, "--email", email, "--password", password, "--groups", groups.join(","), ...(mfa ? ["--mfa"] : [])]);
    const secret = /TOTP secret[^:]*: ([A-Z2-7]+)/.exec(stdout)?.[1];
    const recoveryCodes = /recovery codes \(shown once\): (.+)/.exec(stdout)?.[1]?.trim().split(" ") ?? [];
    if (mfa) expect(secret, stdout).toBeDefined();
    const tokens = await signIn(username, password, secret);
    const me = await when.getMe(tokens.accessToken);
    expect(me.status, me.text).toBe(200);
    return { user: { username, email, password, userId: me.body.userId as string }, tokens, secret, recoveryCodes };
  },

  async aSignedInUser(overrides: Record<string, unknown> = {}) {
    const user = await given.aVerifiedUser(overrides);
    const res = await when.login(user.username, user.password);
    expect(res.status, res.text).toBe(200);
    return { user, tokens: res.body as { accessToken: string; idToken: string; refreshToken: string } };
  },
};
