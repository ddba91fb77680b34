import type { Browser, Page } from "playwright-core";
import { expect } from "vitest";
import { newPage } from "#test/steps/browser";
import { npmRun } from "#test/steps/commands";
import { given, type TestUser } from "#test/steps/given";
import { freshCode } from "#test/steps/mfa";
import { when } from "#test/steps/when";

// Steps of the staff console's browser tests (test/browser/console-*.test.ts): staff made with
// `npm run create-staff -- --mfa` and signed in through the login page's two-factor step, end
// users signed in through the same page, and moves inside the app that keep the in-memory session.

export interface Staff {
  username: string;
  email: string;
  password: string;
  userId: string;
  secret: string;
  recoveryCodes: string[];
}

/** A staff member with two-factor sign-in enrolled (the test stack enforces it for staff) unless `mfa: false`, not signed in anywhere yet. */
export async function aStaffMember(groups: string[], { mfa = true } = {}): Promise<Staff> {
  const username = given.uniqueUsername("staff");
  const email = given.uniqueEmail("staff");
  const password = given.strongPassword();
  const { stdout } = await npmRun("create-staff", ["--username", username, "--email", email, "--password", password, "--groups", groups.join(","), ...(mfa ? ["--mfa"] : [])]);
  const userId = /\(([^)]+)\) in groups/.exec(stdout)?.[1];
  const secret = /TOTP secret[^:]*: ([A-Z2-7]+)/.exec(stdout)?.[1];
  const recoveryCodes = /recovery codes \(shown once\): (.+)/.exec(stdout)?.[1]?.trim().split(" ") ?? [];
  expect(userId && (!mfa || (secret && recoveryCodes.length > 0)), stdout).toBeTruthy();
  return { username, email, password, userId: userId as string, secret: secret ?? "", recoveryCodes };
}

/** An access token for API calls, signed in with a recovery code (the TOTP step stays free for the browser). */
export async function apiTokenOf(staff: Staff): Promise<string> {
  const first = await when.login(staff.username, staff.password);
  expect(first.status, first.text).toBe(200);
  const code = staff.recoveryCodes.pop();
  expect(code, "a recovery code left").toBeDefined();
  const second = await when.loginMfa(first.body.challengeId, code as string);
  expect(second.status, second.text).toBe(200);
  return second.body.accessToken as string;
}

/** Signs a staff member in through the login page (password, then a fresh TOTP code); returns the page on the console. */
export async function staffPage(browser: Browser, staff: Staff): Promise<Page> {
  const { page } = await newPage(browser);
  await page.goto("/login?next=/console");
  await page.getByLabel("Username, e-mail or phone").fill(staff.username);
  await page.getByLabel("Password").fill(staff.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("Authentication code").fill(await freshCode(staff.secret));
  await page.getByRole("button", { name: "Continue" }).click();
  // A wait that also works in beforeAll (expect.poll does not).
  await page.waitForURL((url) => /^\/console\/[a-z]+$/.test(url.pathname), { timeout: 20_000 });
  return page;
}

/** Signs someone without two-factor sign-in in through the login page; returns the page where it lands (/account). */
export async function userPage(browser: Browser, user: Pick<TestUser, "username" | "password">, landsOn = "/account"): Promise<Page> {
  const { page } = await newPage(browser);
  await page.goto("/login");
  await page.getByLabel("Username, e-mail or phone").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === landsOn, { timeout: 20_000 });
  return page;
}

/**
 * Moves inside the app as a link does (history + popstate): a page load would end the session,
 * which lives in memory only.
 */
export async function goInApp(page: Page, path: string) {
  await page.evaluate((to) => {
    const w = globalThis as any;
    w.history.pushState(null, "", to);
    w.dispatchEvent(new w.PopStateEvent("popstate"));
  }, path);
}

/** The side navigation's entries, in order. */
export async function consoleNav(page: Page): Promise<string[]> {
  const side = page.locator("nav.side");
  await side.waitFor();
  return side.getByRole("link").allTextContents();
}
