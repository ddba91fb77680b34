import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, expectAccessible, launchBrowser, newPage } from "#test/steps/browser";
import { approvedResolution, fileComplaint, readComplaint, transitioned } from "#test/steps/complaints";
import { given } from "#test/steps/given";
import { rewards, setLevel } from "#test/steps/rewards";
import { call, when } from "#test/steps/when";

// The account pages beyond the new user's journey (account-journey.test.ts): what needs staff to
// set it up (a level that may redeem, points, a resolved complaint), the password, signing out
// everywhere, the staff enrolment gate, keyboard use and the second language. One user goes
// through the steps in order, in one page (the session lives in memory: no reloads).

type Staff = Awaited<ReturnType<typeof given.aSignedInStaffMember>>;
let browser: Browser;
let admin: Staff;
let support: Staff;
let unenrolled: Staff;

beforeAll(async () => {
  browser = await launchBrowser();
  [admin, support, unenrolled] = await Promise.all([
    given.aSignedInStaffMember(["admin"]),
    given.aSignedInStaffMember(["support"]),
    given.aSignedInStaffMember(["support"], { mfa: false }),
  ]);
});
afterAll(async () => {
  await browser?.close();
});

async function signInOnPage(page: Page, login: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Username, e-mail or phone").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Follows a side-navigation link with the keyboard; the page's heading takes the focus. */
async function openByKeyboard(page: Page, link: string, heading: string) {
  await page.getByRole("navigation", { name: "My account" }).last().getByRole("link", { name: link, exact: true }).focus();
  await page.keyboard.press("Enter");
  await eventually(() => page.locator("h1:focus").textContent()).toBe(heading);
}

/** Tabs forward from where the focus is until `selector` has it. */
async function tabTo(page: Page, selector: string) {
  for (let i = 0; i < 15 && (await page.locator(`${selector}:focus`).count()) === 0; i++) await page.keyboard.press("Tab");
  expect(await page.locator(`${selector}:focus`).count(), `${selector} reached with Tab`).toBe(1);
}

const focusedText = async (page: Page) => ((await page.locator(":focus").count()) ? ((await page.locator(":focus").textContent()) ?? "") : "");

describe("the account pages", () => {
  it("send staff without two-factor sign-in to enrol before anything else", async () => {
    const { page, context } = await newPage(browser);
    await signInOnPage(page, unenrolled.user.username, unenrolled.user.password);
    await eventually(() => page.url()).toMatch(/\/account\/security\?required=1$/);
    await eventually(() => page.getByText("Staff accounts must turn on two-factor sign-in before anything else.").isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Set up two-factor sign-in" }).isVisible()).toBe(true);
    await context.close();
  });

  describe("for one user, in order", () => {
    let page: Page;
    let user: Awaited<ReturnType<typeof given.aSignedInUser>>["user"];
    let token: string;

    it("redeem points by keyboard, once per attempt even when the answer is lost, and say when points are short", async () => {
      const signedIn = await given.aSignedInUser();
      ({ user } = signedIn);
      token = signedIn.tokens.accessToken;
      await setLevel(admin.tokens.accessToken, user.userId, "ACTIVE");
      const grant = await rewards.grant(admin.tokens.accessToken, { userId: user.userId, points: 100, reason: "Browser test" });
      expect(grant.status, grant.text).toBe(201);

      ({ page } = await newPage(browser));
      await signInOnPage(page, user.username, user.password);
      await eventually(() => page.url()).toMatch(/\/account$/);
      await openByKeyboard(page, "Rewards", "Rewards");
      await eventually(() => page.locator("main .balance").textContent()).toBe("Points balance100");

      // The second language: every word of the page changes, and it stays accessible.
      await page.getByLabel("Language").selectOption("zh");
      await eventually(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("积分奖励");
      expect(await page.locator("main .balance dt").textContent()).toBe("积分余额");
      expect(await page.getByRole("link", { name: "个人资料" }).isVisible()).toBe(true);
      await expectAccessible(page, "/account/rewards (zh)");
      await page.getByLabel("语言").selectOption("en");
      await eventually(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Rewards");

      // The first answer is lost on the way back (the server did redeem): the retry sends the same key.
      const keys: string[] = [];
      await page.route("**/me/rewards/redeem", async (route) => {
        keys.push(route.request().headers()["idempotency-key"] ?? "");
        if (keys.length > 1) return route.continue();
        await route.fetch();
        await route.abort("connectionreset");
      });
      await page.locator("h1").focus();
      await tabTo(page, "input[name=points]");
      await page.keyboard.type("30");
      await page.keyboard.press("Enter");
      await eventually(() => focusedText(page)).toMatch(/No answer from the server/);
      await page.getByRole("button", { name: "Redeem points" }).focus();
      await page.keyboard.press("Enter");
      await eventually(() => focusedText(page)).toBe("30 points redeemed. Your balance is now 70.");
      expect(keys).toHaveLength(2);
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(keys[1]).toBe(keys[0]);
      const view = await rewards.view(token);
      expect(view.balance).toBe(70);
      expect(view.ledger.filter((e) => e.type === "REDEEM")).toEqual([expect.objectContaining({ points: -30 })]);
      await eventually(() => page.locator("main table tbody tr").first().textContent()).toMatch(/Redeemed.*-30/);

      // More than the balance: said beside the field, with a new key.
      await page.getByLabel("Points to redeem").fill("500");
      await page.getByRole("button", { name: "Redeem points" }).click();
      const points = page.getByLabel("Points to redeem");
      await eventually(() => points.getAttribute("aria-invalid")).toBe("true");
      expect(await page.getByText("Not enough points: your balance is 70.").isVisible()).toBe(true);
      expect(keys).toHaveLength(3);
      expect(keys[2]).not.toBe(keys[0]);
      expect((await rewards.view(token)).balance).toBe(70);
      await page.unroute("**/me/rewards/redeem");
      await expectAccessible(page, "/account/rewards (redeemed)");
    });

    it("rate a resolved complaint, which closes it", async () => {
      const filed = await fileComplaint(token);
      await approvedResolution(admin.tokens.accessToken, support.tokens.accessToken, filed.complaintId);
      await transitioned(admin.tokens.accessToken, filed.complaintId, { action: "RESOLVE" });

      await openByKeyboard(page, "Complaints", "Complaints");
      await page.getByRole("link", { name: filed.ticketNo }).click();
      await eventually(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(`Complaint ${filed.ticketNo}`);
      expect(await page.locator("main dl.facts").textContent()).toMatch(/Resolved.*Upheld: We refund the booking fee\./s);
      await page.getByRole("button", { name: "Rate how your complaint was handled" }).click();
      await eventually(() => page.getByRole("radio", { name: "1 – very poor" }).getAttribute("aria-invalid")).toBe("true");
      await page.getByRole("radio", { name: "4 – good" }).check();
      await page.getByLabel("Comment (optional)").fill("Quick and fair.");
      await page.getByRole("button", { name: "Rate how your complaint was handled" }).click();
      await eventually(() => focusedText(page)).toBe("Thank you for your rating.");
      await eventually(() => page.locator("main dl.facts").textContent()).toMatch(/Closed.*4 – good/s);
      expect(await page.getByRole("button", { name: "Send" }).count()).toBe(0);
      const read = await readComplaint(token, filed.complaintId);
      expect(read.body).toMatchObject({ status: "CLOSED", satisfaction: { rating: 4, comment: "Quick and fair." }, canRate: false });
      await expectAccessible(page, "/account/complaints?id= (rated)");
    });

    it("show the credit history as a line chart once the score was computed", async () => {
      const recomputed = await call("POST", `/admin/users/${user.userId}/credit/recompute`, { token: admin.tokens.accessToken });
      expect(recomputed.status, recomputed.text).toBe(200);
      const credit = await call("GET", "/me/credit", { token });
      expect(credit.body.history.length).toBeGreaterThanOrEqual(1);

      await openByKeyboard(page, "Credit", "Your credit");
      await eventually(() => page.getByRole("img", { name: "Score over time" }).isVisible()).toBe(true);
      const points = page.getByRole("table", { name: "Score over time" }).getByRole("row");
      expect(await points.count()).toBe(credit.body.history.length);
      expect(await points.last().textContent()).toContain(String(credit.body.history[0].score));
      await expectAccessible(page, "/account/credit (history)");
    });

    it("change the password with the strength meter; other sessions end, this one goes on", async () => {
      await openByKeyboard(page, "Security", "Security");
      await page.getByLabel("Current password").fill(user.password);
      await page.getByLabel("New password").fill("password123");
      await eventually(() => page.getByText(/too common/).isVisible()).toBe(true);
      await page.getByRole("button", { name: "Change password" }).click();
      await eventually(() => page.getByLabel("New password").getAttribute("aria-invalid")).toBe("true");

      const next = given.strongPassword();
      await page.getByLabel("New password").fill(next);
      await eventually(() => page.getByText(/Password strength: (good|strong)/).isVisible()).toBe(true);
      await page.getByRole("button", { name: "Change password" }).click();
      await eventually(() => focusedText(page)).toBe("Your password is changed.");
      expect((await when.getMe(token)).status).toBe(401);
      user.password = next;

      await openByKeyboard(page, "Profile", "Your profile");
      await eventually(() => page.locator("main dl.facts").textContent()).toContain(user.username);
    });

    it("sign out everywhere from the activity page", async () => {
      const login = await when.login(user.username, user.password);
      expect(login.status, login.text).toBe(200);
      await openByKeyboard(page, "Sign-in activity", "Sign-in activity");
      await eventually(() => page.locator("main table tbody tr").count()).toBeGreaterThanOrEqual(3);
      await page.getByRole("button", { name: "Sign out everywhere" }).click();
      await eventually(() => page.url()).toMatch(/\/login$/);
      await eventually(() => page.getByText("You have signed out.").isVisible()).toBe(true);
      expect((await when.getMe(login.body.accessToken)).status).toBe(401);
    });
  });
});
