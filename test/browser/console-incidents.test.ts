import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, expectAccessible, launchBrowser, screenshot } from "#test/steps/browser";
import { given, type TestUser } from "#test/steps/given";
import { when } from "#test/steps/when";
import { aStaffMember, consoleNav, type Staff, staffPage } from "./console-steps";

// Incidents in the staff console: ops start an ACCOUNT_COMPROMISE incident for a user found by
// login, watch its runbook complete live (the page polls), and resolve it.

let browser: Browser;
let ops: Staff;
let page: Page;
let victim: TestUser;

beforeAll(async () => {
  browser = await launchBrowser();
  [ops, victim] = await Promise.all([aStaffMember(["ops"]), given.aVerifiedUser()]);
  page = await staffPage(browser, ops);
});
afterAll(async () => {
  await browser?.close();
});

/** Waits up to `ms` (the runbook runs from the incidents queue). */
const slowly = <T>(read: () => Promise<T>, ms = 40_000) => expect.poll(read, { timeout: ms, interval: 250 });

describe("the staff console: incidents", () => {
  it("ops start an ACCOUNT_COMPROMISE incident and watch it complete", async () => {
    expect(await consoleNav(page)).toEqual(["Incidents", "Analytics"]);
    expect(new URL(page.url()).pathname).toBe("/console/incidents");

    const start = page.getByRole("form", { name: "Start an incident" });
    await start.getByLabel("Type").selectOption("ACCOUNT_COMPROMISE");
    await start.getByLabel("Severity").selectOption("HIGH");
    await start.getByLabel("Find a user by login").fill(victim.email);
    await start.getByRole("button", { name: "Find" }).click();
    await eventually(() => start.getByLabel("User ids (one per line)").inputValue()).toBe(victim.userId);
    await start.getByLabel("Summary").fill("Password found in a paste; sign-ins from two countries");
    await screenshot(page, "console-incidents-start");
    await expectAccessible(page, "/console/incidents");
    await start.getByRole("button", { name: "Start the runbook" }).click();

    // The incident's page follows the runbook live: steps done one by one, then Mitigated.
    await eventually(() => new URL(page.url()).searchParams.get("id")).toMatch(/^[0-9a-f-]{36}$/);
    await eventually(() => page.getByRole("heading", { name: /Account compromise/, level: 1 }).isVisible()).toBe(true);
    await slowly(() => page.getByRole("status").textContent()).toBe("Mitigated");
    await eventually(() => page.getByText("6 of 6 steps done").isVisible()).toBe(true);
    for (const step of ["Suspend the accounts", "End every session", "Require a new password", "Freeze rewards", "Tell the users"]) {
      await eventually(() => page.getByRole("row").filter({ hasText: step }).getByText("Done").isVisible()).toBe(true);
    }
    await screenshot(page, "console-incidents");
    await expectAccessible(page, "/console/incidents?id=");
    expect((await when.login(victim.username, victim.password)).status, "the account is suspended").toBe(403);

    // Resolve: the recovery runs (the suspension lifted) and the report is written.
    const resolve = page.getByRole("form", { name: "Resolve" });
    await resolve.getByLabel("Post-incident summary").fill("The user confirmed the sign-ins were not theirs; password reset required.");
    await resolve.getByRole("button", { name: "Resolve the incident" }).click();
    await slowly(() => page.getByRole("status").textContent()).toBe("Resolved");
    await eventually(() => page.getByText("3 of 3 steps done").isVisible()).toBe(true);
    await eventually(() => page.getByText("The user confirmed the sign-ins were not theirs; password reset required.").isVisible()).toBe(true);
  }, 90_000);
});
