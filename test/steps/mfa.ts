import { expect } from "vitest";
import { PERIOD_SECONDS, stepAt, totpCode } from "#lib/mfa/totp";
import { call, when } from "#test/steps/when";

// Second factors for tests: the authenticator app's side. A time step is accepted once per
// account, so a code is only handed out for a step this process has not used for that secret.

const usedSteps = new Map<string, number>();

/** A TOTP code of a step not used before for `secret` (waits for the next step if needed). */
export async function freshCode(secret: string): Promise<string> {
  for (;;) {
    const now = Date.now();
    const step = stepAt(now);
    if ((usedSteps.get(secret) ?? -1) < step) {
      usedSteps.set(secret, step);
      return totpCode(secret, now);
    }
    await new Promise((r) => setTimeout(r, (step + 1) * PERIOD_SECONDS * 1000 - now + 50));
  }
}

export type Tokens = { accessToken: string; idToken: string; refreshToken: string };

/** Signs in with the password, and with a fresh TOTP code when the account asks for one. */
export async function signIn(login: string, password: string, secret?: string): Promise<Tokens> {
  const first = await when.login(login, password);
  expect(first.status, first.text).toBe(200);
  if (!first.body.mfaRequired) return first.body as Tokens;
  expect(secret, "the account has two-factor sign-in: a secret is needed").toBeDefined();
  const second = await when.loginMfa(first.body.challengeId, await freshCode(secret as string));
  expect(second.status, second.text).toBe(200);
  return second.body as Tokens;
}

/** Enrols the signed-in user in two-factor sign-in through the API, as the app would. */
export async function enrol(token: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const started = await call("POST", "/me/mfa/totp", { token });
  expect(started.status, started.text).toBe(201);
  const confirmed = await call("POST", "/me/mfa/totp/confirm", { token, body: { code: await freshCode(started.body.secret) } });
  expect(confirmed.status, confirmed.text).toBe(200);
  return { secret: started.body.secret, recoveryCodes: confirmed.body.recoveryCodes };
}
