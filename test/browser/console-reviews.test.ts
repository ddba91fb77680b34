import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, expectAccessible, launchBrowser, screenshot } from "#test/steps/browser";
import { aResidentIdNumber, documents } from "#test/steps/documents";
import { given, type TestUser } from "#test/steps/given";
import { when } from "#test/steps/when";
import { aStaffMember, consoleNav, goInApp, type Staff, staffPage, userPage } from "./console-steps";

// The review queue in the staff console: a user submits an identity document through the account
// pages, a reviewer opens it (masked, with its images and the automatic checks) and approves it;
// a reviewer's console has no Users or Incidents section, in the nav or by address.

let browser: Browser;
let reviewer: Staff;
let reviewerPage: Page;
let user: TestUser;

beforeAll(async () => {
  browser = await launchBrowser();
  [reviewer, user] = await Promise.all([aStaffMember(["reviewer"]), given.aVerifiedUser()]);
  reviewerPage = await staffPage(browser, reviewer);
});
afterAll(async () => {
  await browser?.close();
});

/** Declares an ID card on /account/documents with three small images and submits it. */
async function submitDocumentOnThePage(page: Page, documentNumber: string) {
  await page.getByRole("link", { name: "Identity documents" }).click();
  await page.getByLabel("Full name").fill("王小明");
  await page.getByLabel("Document number").fill(documentNumber);
  const image = (name: string, mimeType: string) => ({ name, mimeType, buffer: Buffer.alloc(2048, 0xab) });
  await page.getByLabel("Front side").setInputFiles(image("front.jpg", "image/jpeg"));
  await page.getByLabel("Back side").setInputFiles(image("back.jpg", "image/jpeg"));
  await page.getByLabel("Selfie holding the document").setInputFiles(image("selfie.png", "image/png"));
  await page.getByRole("button", { name: "Upload and submit" }).click();
  await eventually(() => page.getByText("Your document is submitted and waiting for review.").isVisible()).toBe(true);
}

describe("the staff console: review queue", () => {
  it("a reviewer approves a document submitted through the user pages", async () => {
    const page = await userPage(browser, user);
    await submitDocumentOnThePage(page, aResidentIdNumber());
    const token = (await when.login(user.username, user.password)).body.accessToken as string;
    const mine = await documents.mine(token);
    const submission = (mine.body.items as { submissionId: string; status: string }[])[0];
    expect(submission?.status).toBe("PENDING_REVIEW");
    const submissionId = submission?.submissionId as string;

    // The queue: oldest first, names and numbers masked for a reviewer without data:pii:read.
    const r = reviewerPage;
    await eventually(() => new URL(r.url()).pathname).toBe("/console/reviews");
    await eventually(() => r.getByRole("heading", { name: "Review queue", level: 1 }).isVisible()).toBe(true);
    await eventually(() => r.getByText(/Names and numbers are masked/).isVisible()).toBe(true);
    await r.getByRole("button", { name: "Refresh" }).click();
    await eventually(() => r.getByRole("row").filter({ hasText: "王**" }).first().isVisible()).toBe(true);
    await screenshot(r, "console-reviews");
    await expectAccessible(r, "/console/reviews");

    // The submission itself (other files' submissions may come first in a shared queue).
    await goInApp(r, `/console/reviews?id=${submissionId}`);
    await eventually(() => r.getByRole("heading", { name: "Identity document" }).isVisible()).toBe(true);
    await eventually(() => r.getByText("王**").isVisible()).toBe(true);
    await eventually(() => r.getByText(/Check digit/).isVisible()).toBe(true);
    expect(await r.getByRole("img", { name: /of the document/ }).count()).toBe(3);
    await screenshot(r, "console-review");
    await expectAccessible(r, "/console/reviews?id=");

    await r.getByRole("button", { name: "Approve" }).click();
    await eventually(() => r.getByText("Approved. The user has been told.").isVisible()).toBe(true);
    await eventually(() => r.getByRole("button", { name: "Approve" }).count()).toBe(0);
    await eventually(async () => ((await documents.mine(token)).body.items as { status: string }[])[0]?.status).toBe("APPROVED");
  });

  it("a reviewer cannot see the users or incidents sections", async () => {
    const r = reviewerPage;
    expect(await consoleNav(r)).toEqual(["Review queue"]);
    for (const path of ["/console/users", "/console/incidents"]) {
      await goInApp(r, path);
      await eventually(() => r.getByRole("heading", { name: "Page not found" }).isVisible()).toBe(true);
      await eventually(() => r.getByText("This section does not exist or is not open to your staff groups.").isVisible()).toBe(true);
      expect(await r.getByRole("link", { name: "Users" }).count()).toBe(0);
      expect(await r.getByRole("link", { name: "Incidents" }).count()).toBe(0);
    }
    await expectAccessible(r, "/console/incidents as a reviewer");
  });

  it("a staff member without two-factor sign-in is sent to enrolment before any section", async () => {
    const unenrolled = await aStaffMember(["reviewer"], { mfa: false });
    const page = await userPage(browser, unenrolled, "/account/security");
    expect(new URL(page.url()).searchParams.get("required")).toBe("1");
    await goInApp(page, "/console/reviews");
    await eventually(() => new URL(page.url()).pathname).toBe("/account/security");
    expect(await page.getByRole("heading", { name: "Review queue" }).count()).toBe(0);
  });
});
