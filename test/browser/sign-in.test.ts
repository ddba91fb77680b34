import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, expectAccessible, launchBrowser, newPage, screenshot } from "#test/steps/browser";
import { given } from "#test/steps/given";
import { enrol, freshCode, signIn } from "#test/steps/mfa";
import { codeMessages, latestCode } from "#test/steps/then";
import { when } from "#test/steps/when";

// The sign-in pages: lockout with its wait, the two-factor step, a forgotten password, keyboard
// only, and the language chosen from the browser and switched on the page.

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("the web app: signing in", () => {
  it("shows a locked-out login with the time left, and keeps the button off until then", async () => {
    const user = await given.aVerifiedUser();
    const { page } = await newPage(browser);
    await page.goto("/login");
    await page.getByLabel("Username, e-mail or phone").fill(user.username);
    // The test stack locks an account after 5 failures (LOGIN_MAX_FAILURES_ACCOUNT) for 60 s.
    for (let i = 0; i < 6; i++) {
      await page.getByLabel("Password").fill(`Wrong-${i}-password`);
      await page.getByRole("button", { name: "Sign in" }).click();
      await eventually(async () => (await page.getByRole("alert").allTextContents()).join(" ")).toMatch(/wrong|locked/i);
      if (await page.getByRole("timer").count()) break;
    }
    const timer = page.getByRole("timer");
    await eventually(() => timer.textContent()).toMatch(/Sign-in is locked\. Try again in \d+ s\./);
    const seconds = Number(/in (\d+) s/.exec((await timer.textContent()) ?? "")?.[1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(await page.getByRole("button", { name: "Sign in" }).isDisabled()).toBe(true);
    // The API agrees: even the right password is refused while locked.
    expect((await when.login(user.username, user.password)).status).toBe(429);
    await screenshot(page, "login-locked");
    await expectAccessible(page, "/login (locked)");
  });

  it("asks for the authenticator code of a two-factor account, using the keyboard only", async () => {
    const user = await given.aVerifiedUser();
    const { secret } = await enrol((await signIn(user.email, user.password)).accessToken);
    const { page } = await newPage(browser);
    await page.goto("/login");
    const focused = () => page.evaluate(() => {
      const active = (globalThis as any).document.activeElement;
      return active?.getAttribute("name") ?? active?.textContent ?? "";
    });
    await page.keyboard.press("Tab"); // the skip link comes first
    expect(await focused()).toBe("Skip to content");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("login");
    await page.keyboard.type(user.email);
    await page.keyboard.press("Tab");
    await page.keyboard.type(user.password);
    await page.keyboard.press("Enter");
    const code = page.getByLabel("Authentication code");
    await code.waitFor();
    await screenshot(page, "login-mfa");
    await expectAccessible(page, "/login (two-factor step)");
    expect(await focused()).toBe("code"); // the code field takes the focus
    await page.keyboard.type(await freshCode(secret));
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/account$/);
  });

  it("resets a forgotten password with the mailed code", async () => {
    const user = await given.aVerifiedUser();
    const { page } = await newPage(browser);
    await page.goto("/login");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.getByLabel("Username, e-mail or phone").fill(user.email);
    const before = (await codeMessages(user.email)).length;
    await page.getByRole("button", { name: "Send a reset code" }).click();
    await page.getByLabel("Reset code").waitFor();
    await page.getByLabel("Reset code").fill(await latestCode(user.email, /code/i, { after: before }));
    const newPassword = given.strongPassword();
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByRole("button", { name: "Set the new password" }).click();
    await page.getByText(/Your password is set/).waitFor();
    expect((await when.login(user.email, newPassword)).status).toBe(200);
    expect((await when.login(user.email, user.password)).status).toBe(401);
  });

  it("speaks Simplified Chinese to a Chinese browser, and switches on request", async () => {
    const { page } = await newPage(browser, { locale: "zh-CN" });
    await page.goto("/login");
    await page.getByRole("heading", { name: "登录" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-Hans");
    await page.getByLabel("用户名、邮箱或手机号").waitFor();
    await screenshot(page, "login-zh");
    await expectAccessible(page, "/login (zh)");
    await page.getByLabel("语言").selectOption("en");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
  });
});
