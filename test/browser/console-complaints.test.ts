import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, expectAccessible, launchBrowser, screenshot } from "#test/steps/browser";
import { fileComplaint, type Filed, readComplaint, transition } from "#test/steps/complaints";
import { given } from "#test/steps/given";
import { aStaffMember, apiTokenOf, consoleNav, type Staff, staffPage } from "./console-steps";

// Complaints in the staff console: a support member takes a complaint from RECEIVED to a proposed
// resolution; the page will not let the same person approve it (and the API refuses it), and a
// second support member approves it.

let browser: Browser;
let first: Staff;
let second: Staff;
let firstPage: Page;
let userToken: string;
let filed: Filed;

beforeAll(async () => {
  browser = await launchBrowser();
  const [a, b, signedIn] = await Promise.all([aStaffMember(["support"]), aStaffMember(["support"]), given.aSignedInUser()]);
  [first, second] = [a, b];
  userToken = signedIn.tokens.accessToken;
  filed = await fileComplaint(userToken, { subject: "The e-bike battery died halfway" });
  firstPage = await staffPage(browser, first);
});
afterAll(async () => {
  await browser?.close();
});

/** Opens a complaint by its ticket number from the queue page. */
async function openCase(page: Page, ticketNo: string) {
  await page.getByRole("link", { name: "Complaints", exact: true }).click();
  await page.getByLabel("Ticket number").fill(ticketNo);
  await page.getByRole("button", { name: "Show" }).click();
  await page.getByRole("link", { name: ticketNo }).click();
  await eventually(() => page.getByRole("heading", { name: new RegExp(`Complaint ${ticketNo}`), level: 1 }).isVisible()).toBe(true);
}

/** Fills and sends one transition's form. */
async function act(page: Page, action: string, fields: Record<string, string> = {}) {
  const form = page.getByRole("form", { name: action });
  for (const [label, value] of Object.entries(fields)) {
    const field = form.getByLabel(label);
    if ((await field.evaluate((el) => el.tagName)) === "SELECT") await field.selectOption(value);
    else await field.fill(value);
  }
  await form.getByLabel("Staff note").fill(`${action}: per the complaints policy`);
  await form.getByRole("button", { name: action }).click();
}

describe("the staff console: complaints", () => {
  it("a support member proposes a resolution; the page refuses to let them approve it; a second member approves", async () => {
    const page = firstPage;
    expect(await consoleNav(page)).toEqual(["Complaints", "Rewards"]);
    await page.getByLabel("Queue").selectOption("RECEIVED");
    await eventually(() => page.getByRole("table").getByText(/due in|overdue by/).first().isVisible()).toBe(true);
    await screenshot(page, "console-complaints");
    await expectAccessible(page, "/console/complaints");

    await openCase(page, filed.ticketNo);
    await act(page, "Classify", { Category: "LOGISTICS", Priority: "HIGH" });
    await eventually(() => page.getByText("Classify: the complaint is now Classified.").isVisible()).toBe(true);
    await act(page, "Start investigation");
    await eventually(() => page.getByText("Start investigation: the complaint is now Investigating.").isVisible()).toBe(true);
    await act(page, "Propose resolution", { "Resolution (the parties read it)": "We refund the ride and replace the battery.", Outcome: "UPHELD" });
    await eventually(() => page.getByText("Propose resolution: the complaint is now Resolution proposed.").isVisible()).toBe(true);

    // Four eyes: the proposer's approve button is disabled, with why; the API refuses it too.
    const approve = page.getByRole("form", { name: "Approve resolution" });
    await eventually(() => approve.getByRole("button", { name: "Approve resolution" }).isDisabled()).toBe(true);
    await eventually(() => approve.getByText(/Needs a second person: you proposed this resolution/).isVisible()).toBe(true);
    await eventually(() => page.getByText("Proposed by you").isVisible()).toBe(true);
    await eventually(() => page.getByRole("listitem").filter({ hasText: "Propose resolution (Investigating → Resolution proposed)" }).count()).toBe(1);
    await screenshot(page, "console-complaint");
    await expectAccessible(page, "/console/complaints?id=");
    const refused = await transition(await apiTokenOf(first), filed.complaintId, { action: "APPROVE_RESOLUTION" });
    expect(refused.status, refused.text).toBe(403);
    expect(refused.body.code).toBe("SELF_APPROVAL");

    // A second support member approves it.
    const other = await staffPage(browser, second);
    await openCase(other, filed.ticketNo);
    await eventually(() => other.getByText(/Proposed by (?!you)/).isVisible()).toBe(true);
    await act(other, "Approve resolution");
    await eventually(() => other.getByText("Approve resolution: the complaint is now Resolution approved.").isVisible()).toBe(true);
    const seen = await readComplaint(userToken, filed.complaintId);
    expect(seen.body.status).toBe("RESOLUTION_APPROVED");
  });
});
