import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, expectAccessible, launchBrowser, screenshot } from "#test/steps/browser";
import { given, type TestUser } from "#test/steps/given";
import { when } from "#test/steps/when";
import { aStaffMember, consoleNav, type Staff, staffPage, userPage } from "./console-steps";

// An admin's console: every section in the nav; a user found by login and suspended, whose open
// page is signed out on its next call; a 403 of the API shown on the page; a grant above the
// threshold waiting for a second person; the audit trail and the analytics charts.

let browser: Browser;
let admin: Staff;
let adminPage: Page;
let user: TestUser;

beforeAll(async () => {
  browser = await launchBrowser();
  [admin, user] = await Promise.all([aStaffMember(["admin"]), given.aVerifiedUser()]);
  adminPage = await staffPage(browser, admin);
});
afterAll(async () => {
  await browser?.close();
});

/** Finds a user by exact login in the Users section and opens their page. */
async function openUser(page: Page, login: string, name: string) {
  await page.getByRole("link", { name: "Users", exact: true }).click();
  await page.getByLabel("Login (username, e-mail or phone)").fill(login);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: login, exact: true }).click();
  await eventually(() => page.getByRole("heading", { name: `User ${name}`, level: 1 }).isVisible()).toBe(true);
}

describe("the staff console: an admin", () => {
  it("sees every section, lands on the first one", async () => {
    expect(await consoleNav(adminPage)).toEqual(["Review queue", "Users", "Complaints", "Rewards", "Incidents", "Audit", "Analytics"]);
    expect(new URL(adminPage.url()).pathname).toBe("/console/reviews");
  });

  it("suspends a user, and that user's open page is signed out on its next call", async () => {
    const userTab = await userPage(browser, user);
    const page = adminPage;
    await openUser(page, user.username, user.username);
    // Contact details masked? An admin holds data:pii:read: shown, and the view audited.
    await eventually(() => page.getByText(user.email).isVisible()).toBe(true);
    await eventually(() => page.getByRole("row").filter({ hasText: "profile:read" }).getByText("level:NEWBIE").isVisible()).toBe(true);
    await eventually(() => page.getByRole("heading", { name: "Staff changes and views" }).isVisible()).toBe(true);
    // The user's own records (GET /admin/users/{id}/activity|rewards|documents|complaints): the
    // sign-in just made in the browser, in full for an admin (data:pii:read).
    const signIns = page.getByRole("region", { name: "Sign-ins" });
    await eventually(() => signIns.getByRole("row").count()).toBeGreaterThan(1);
    await eventually(async () => (await signIns.getByRole("cell").allTextContents()).join(" ")).toMatch(/127\.0\.0\.1/);
    await eventually(() => page.getByRole("region", { name: "Rewards ledger" }).getByText(/Balance: \d+ points/).isVisible()).toBe(true);
    await eventually(() => page.getByRole("region", { name: "Identity documents" }).isVisible()).toBe(true);
    await eventually(() => page.getByRole("region", { name: "Complaints filed" }).isVisible()).toBe(true);
    await screenshot(page, "console-users");
    await expectAccessible(page, "/console/users?id=");

    const suspend = page.getByRole("form", { name: "Suspend" });
    await suspend.getByRole("button", { name: "Suspend" }).click();
    await eventually(() => suspend.getByText("Give a reason (3–500 characters).").isVisible()).toBe(true);
    await suspend.getByLabel("Reason").fill("Chargeback fraud reported by the payment provider");
    await suspend.getByRole("button", { name: "Suspend" }).click();
    await eventually(() => page.getByText("Suspended. Every session of the user has ended.").isVisible()).toBe(true);
    await eventually(() => page.getByRole("form", { name: "Restore" }).isVisible()).toBe(true);

    // The user's page, open all along, meets the suspension on its next API call.
    expect(new URL(userTab.url()).pathname).toBe("/account");
    await userTab.getByRole("link", { name: "Sign-in activity" }).click();
    await eventually(() => new URL(userTab.url()).pathname).toBe("/login");
    await eventually(() => userTab.getByText("This account is suspended.").isVisible()).toBe(true);
    expect((await when.login(user.username, user.password)).status).toBe(403);
  });

  it("shows the API's 403 when a change is refused: not on one's own account", async () => {
    const page = adminPage;
    await openUser(page, admin.username, admin.username);
    const suspend = page.getByRole("form", { name: "Suspend" });
    await suspend.getByLabel("Reason").fill("Trying to suspend myself");
    await suspend.getByRole("button", { name: "Suspend" }).click();
    await eventually(() => suspend.getByRole("alert").textContent()).toContain("Staff cannot make this change to their own account.");
    await eventually(() => suspend.getByText("(SELF_CHANGE)").isVisible()).toBe(true);
  });

  it("grants points above the threshold: they wait for a second person", async () => {
    const other = await given.aVerifiedUser();
    const page = adminPage;
    await page.getByRole("link", { name: "Rewards", exact: true }).click();
    const grant = page.getByRole("form", { name: "Grant points or an achievement" });
    await grant.getByLabel("User id").fill(other.userId);
    await grant.getByLabel("Points").fill("600");
    await grant.getByLabel("Reason").fill("Compensation for the lost deposit");
    const key = await grant.locator("code").textContent();
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    await grant.getByRole("button", { name: "Grant" }).click();
    await eventually(() => grant.getByText("600 points wait for a second staff member's approval.").isVisible()).toBe(true);
    expect(await grant.locator("code").textContent(), "a new request gets a new key").not.toBe(key);

    // Pending approvals: one's own request cannot be approved, and the page says why.
    const row = page.getByRole("row").filter({ hasText: "Compensation for the lost deposit" });
    await eventually(() => row.getByRole("button", { name: "Approve" }).isDisabled()).toBe(true);
    await eventually(() => row.getByText("Needs a second person: you requested this grant.").isVisible()).toBe(true);
    await screenshot(page, "console-rewards");
    await expectAccessible(page, "/console/rewards");
  });

  it("reads the audit trail by target and action, and the analytics charts", async () => {
    const page = adminPage;
    await page.getByRole("link", { name: "Audit", exact: true }).click();
    await page.getByLabel("Entries").selectOption("userId");
    await page.getByLabel("User id").fill(user.userId);
    await page.getByLabel("Action").fill("SUSPENDED");
    await page.getByRole("button", { name: "Show" }).click();
    const row = page.getByRole("row").filter({ hasText: "Chargeback fraud reported by the payment provider" });
    await eventually(() => row.count()).toBe(1);
    await eventually(() => row.getByText("(USER_SUSPENDED)").isVisible()).toBe(true);
    expect(await page.getByText("(USER_PII_VIEWED)").count(), "the action filter leaves other entries out").toBe(0);
    await screenshot(page, "console-audit");
    await expectAccessible(page, "/console/audit");

    await page.getByRole("link", { name: "Analytics", exact: true }).click();
    await eventually(() => page.getByRole("img", { name: "Users by level" }).isVisible()).toBe(true);
    await eventually(() => page.getByRole("img", { name: "Verified registrations per day (30 days)" }).isVisible()).toBe(true);
    await eventually(() => page.getByRole("img", { name: "Users by credit tier" }).isVisible()).toBe(true);
    await eventually(() => page.getByRole("img", { name: "Users by lifecycle stage" }).isVisible()).toBe(true);
    await screenshot(page, "console-analytics");
    await expectAccessible(page, "/console/analytics");
  });
});
