import fs from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, expectAccessible, launchBrowser, newPage, screenshot } from "#test/steps/browser";
import { readComplaint } from "#test/steps/complaints";
import { aResidentIdNumber, documents } from "#test/steps/documents";
import { given } from "#test/steps/given";
import { freshCode } from "#test/steps/mfa";
import { privacy } from "#test/steps/privacy";
import { rewards } from "#test/steps/rewards";
import { stack } from "#test/steps/stack";
import { latestCode } from "#test/steps/then";
import { call, when } from "#test/steps/when";

// A new user's whole life in the browser: register, verify with the mailed code, sign in, and the
// self-service pages; each step checked on the page and through the API. The steps share one user
// and one page (the session lives in memory, so the steps move with the app's own links, never a
// reload), in order.

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function register(page: Page, fields: { username: string; email: string; password: string }) {
  await page.goto("/register");
  await page.getByLabel("Username").fill(fields.username);
  await page.getByLabel("E-mail").fill(fields.email);
  await page.getByLabel("Password", { exact: true }).fill(fields.password);
  await page.getByLabel(/I have read and accept the privacy policy/).check();
  await page.getByRole("button", { name: "Create account" }).click();
}

/** Opens an account page with its side-navigation link; the page's heading takes the focus. */
async function open(page: Page, link: string, heading: string | RegExp) {
  await page.getByRole("navigation", { name: "My account" }).last().getByRole("link", { name: link, exact: true }).click();
  await eventually(() => page.locator("h1:focus").count()).toBe(1);
  await eventually(() => page.getByRole("heading", { level: 1 }).textContent()).toMatch(heading);
}

/** The text of the message an action announced (it takes the focus). */
const focusedText = async (page: Page) => ((await page.locator(":focus").count()) ? ((await page.locator(":focus").textContent()) ?? "") : "");

describe("the web app: a new user", () => {
  const user = { username: given.uniqueUsername("web"), email: given.uniqueEmail("web"), password: given.strongPassword() };
  let page: Page;
  /** The user's own token, for the API side of each check. */
  let token: string;

  it("registers, verifies with the mailed code and signs in", async () => {
    ({ page } = await newPage(browser));
    await register(page, user);
    await eventually(() => page.url()).toMatch(/\/verify$/);
    await eventually(() => page.getByText(/We sent a 6-digit code to/).isVisible()).toBe(true);
    await eventually(() => page.getByRole("timer").textContent()).toMatch(/new code in \d+ s/);
    await screenshot(page, "verify");
    await expectAccessible(page, "/verify");

    const code = await latestCode(user.email);
    await page.getByLabel("Verification code").fill(code);
    await page.getByRole("button", { name: "Verify" }).click();
    await eventually(() => page.getByText("Your account is verified").isVisible()).toBe(true);
    const login = await when.login(user.email, user.password);
    expect(login.status).toBe(200);
    token = login.body.accessToken;

    await page.goto("/login");
    await page.getByLabel("Username, e-mail or phone").fill(user.username);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await eventually(() => page.url()).toMatch(/\/account$/);
  });

  it("edits the profile, with a server error beside its field", async () => {
    await eventually(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Your profile");
    const facts = page.locator("dl.facts");
    await eventually(() => facts.textContent()).toContain(user.username);
    expect(await facts.textContent()).toMatch(new RegExp(`${user.email.replace(/[.+]/g, "\\$&")}\\s*verified`));
    expect(await facts.textContent()).toMatch(/Newcomer.*Fair \(600\).*Not verified/s);

    // A birth date in the future passes the browser but not the server: its error sits by the field.
    await page.getByLabel("Birth date").fill("2999-01-01");
    await page.getByRole("button", { name: "Save" }).click();
    const birthDate = page.getByLabel("Birth date");
    await eventually(() => birthDate.getAttribute("aria-invalid")).toBe("true");
    await eventually(() => page.locator(":focus").getAttribute("name")).toBe("birthDate");

    await page.getByLabel("Display name").fill("Ada Web");
    await page.getByLabel("Gender").selectOption("FEMALE");
    await birthDate.fill("1990-03-07");
    await page.getByLabel("About you").fill("Rides a bike to work.");
    await page.getByRole("button", { name: "Save" }).click();
    await eventually(() => focusedText(page)).toBe("Saved.");
    expect(await birthDate.getAttribute("aria-invalid")).toBeNull();
    await screenshot(page, "profile");
    await expectAccessible(page, "/account");
    const me = await when.getMe(token);
    expect(me.body).toMatchObject({ displayName: "Ada Web", profile: { gender: "FEMALE", birthDate: "1990-03-07", bio: "Rides a bike to work." } });
  });

  it("turns on two-factor sign-in with the QR code's secret and shows the recovery codes once", async () => {
    await open(page, "Security", "Security");
    await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
    await eventually(() => page.getByRole("img", { name: "QR code to scan with your authenticator app" }).getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
    const secret = (await page.locator("code.secret").textContent()) ?? "";
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await screenshot(page, "security");
    await expectAccessible(page, "/account/security");

    await page.getByLabel("Code from the app").fill(await freshCode(secret));
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    const codes = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
    await eventually(() => codes.count()).toBe(10);
    expect(await focusedText(page)).toMatch(/Two-factor sign-in is on/);
    expect((await when.getMe(token)).body.mfa).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });

    await page.getByRole("button", { name: "I have saved my recovery codes" }).click();
    await eventually(() => page.getByText("Two-factor sign-in is on. Recovery codes left: 10.").isVisible()).toBe(true);
    expect(await codes.count()).toBe(0);
  });

  it("lists the sign-ins", async () => {
    await open(page, "Sign-in activity", "Sign-in activity");
    const rows = page.locator("main table tbody tr");
    await eventually(() => rows.count()).toBeGreaterThanOrEqual(2);
    const api = await when.activity(token);
    expect(api.status).toBe(200);
    expect(await rows.count()).toBe(api.body.items.length);
    expect(await rows.first().textContent()).toContain(api.body.items[0].ip);
    await screenshot(page, "activity");
    await expectAccessible(page, "/account/activity");
  });

  it("uploads an identity document straight to S3 with a progress bar per file, and submits it", async () => {
    await open(page, "Identity documents", "Identity documents");
    await eventually(() => page.getByText("You have not submitted a document yet.").isVisible()).toBe(true);
    await page.getByLabel("Document", { exact: true }).selectOption("ID_CARD");
    await page.getByLabel("Full name").fill("王小明");
    await page.getByLabel("Document number").fill(aResidentIdNumber());
    const image = (name: string, mimeType: string) => ({ name, mimeType, buffer: Buffer.alloc(4096, 0xab) });
    await page.getByLabel("Front side").setInputFiles(image("front.jpg", "image/jpeg"));
    await page.getByLabel("Back side").setInputFiles(image("back.jpg", "image/jpeg"));
    await page.getByLabel("Selfie holding the document").setInputFiles(image("selfie.png", "image/png"));

    // Hold the uploads (they go to the S3 emulator, another origin) long enough to see their bars.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const s3 = `${new URL(stack().urls.s3).origin}/**`;
    await page.route(s3, async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole("button", { name: "Upload and submit" }).click();
    await eventually(() => page.getByRole("progressbar").count()).toBe(3);
    expect(await page.getByLabel(/Front side: \d+ % uploaded/).getAttribute("max")).toBe("100");
    await expectAccessible(page, "/account/documents (uploading)");
    release();
    await eventually(() => focusedText(page)).toBe("Your document is submitted and waiting for review.");
    await page.unroute(s3);
    await eventually(() => page.locator("main table tbody tr").first().textContent()).toMatch(/Resident ID card.*Being reviewed/);
    await screenshot(page, "documents");
    await expectAccessible(page, "/account/documents");

    const mine = await documents.mine(token);
    expect(mine.body.items).toEqual([expect.objectContaining({ type: "ID_CARD", status: "PENDING_REVIEW" })]);
    expect((await when.getMe(token)).body.identityStatus).toBe("PENDING_REVIEW");
  });

  it("sees the credit score, its factors and reasons, and the rewards", async () => {
    await open(page, "Credit", "Your credit");
    const credit = await call("GET", "/me/credit", { token });
    expect(credit.status).toBe(200);
    await eventually(() => page.locator("main dl.facts").textContent()).toContain(String(credit.body.score));
    expect(await page.getByRole("img", { name: "Factor scores (out of 100)" }).isVisible()).toBe(true);
    const factors = page.getByRole("table", { name: "Factor scores (out of 100)" }).getByRole("row");
    expect(await factors.count()).toBe(credit.body.factors.length);
    expect(await page.getByText("Your identity is not verified yet; verify an ID document.").isVisible()).toBe(true);
    await screenshot(page, "credit");
    await expectAccessible(page, "/account/credit");

    await open(page, "Rewards", "Rewards");
    const view = await rewards.view(token);
    await eventually(() => page.locator("main .balance").textContent()).toBe(`Points balance${view.balance}`);
    expect(await page.getByText("Redeeming points opens at the Active level.").isVisible()).toBe(true);
    await screenshot(page, "rewards");
    await expectAccessible(page, "/account/rewards");
  });

  it("files a complaint and writes on its thread", async () => {
    await open(page, "Complaints", "Complaints");
    await eventually(() => page.getByText("You have not filed a complaint.").isVisible()).toBe(true);
    await page.getByLabel("Category").selectOption("LOGISTICS");
    await page.getByLabel("Subject").fill("The bike was not at the station");
    await page.getByLabel("What happened").fill("I walked to the station at 9:00 and the reserved bike was not there.");
    await page.getByRole("button", { name: "File the complaint" }).click();
    await eventually(() => page.url()).toMatch(/\/account\/complaints\?id=[0-9a-f-]{36}/);
    await eventually(() => focusedText(page)).toMatch(/Your complaint is filed/);
    const complaintId = new URL(page.url()).searchParams.get("id") ?? "";
    const filed = await readComplaint(token, complaintId);
    expect(filed.body).toMatchObject({ status: "RECEIVED", category: "LOGISTICS", channel: "WEB", subject: "The bike was not at the station" });
    await eventually(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(`Complaint ${filed.body.ticketNo}`);

    await page.getByLabel("Message", { exact: true }).fill("The station number is 42.");
    await page.getByRole("button", { name: "Send" }).click();
    await eventually(() => page.locator("ol.timeline li.message > div:last-child").last().textContent()).toBe("The station number is 42.");
    const read = await readComplaint(token, complaintId);
    expect(read.body.timeline.at(-1)).toMatchObject({ kind: "MESSAGE", by: "COMPLAINANT", body: "The station number is 42." });
    await screenshot(page, "complaints");
    await expectAccessible(page, "/account/complaints?id=");
  });

  it("exports the data as a file and deletes the account, then is signed out", async () => {
    await open(page, "Privacy", "Privacy");
    await eventually(() => page.getByText(/You consented to privacy policy version 2026-11/).isVisible()).toBe(true);
    await page.getByLabel(/I have read and accept the privacy policy/).check();
    await page.getByRole("button", { name: "Give my consent" }).click();
    await eventually(() => focusedText(page)).toBe("Your consent to version 2026-11 is recorded.");
    expect((await when.getMe(token)).body).toMatchObject({ consent: { privacyPolicyVersion: "2026-11", channel: "WEB" }, consentRequired: false });
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download my data" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^my-data-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(fs.readFileSync((await download.path()) as string, "utf8"));
    const api = await privacy.export(token);
    expect(api.status).toBe(200);
    expect(exported.profile).toEqual(api.body.profile);
    expect(exported.complaints.filed).toHaveLength(1);
    await screenshot(page, "privacy");
    await expectAccessible(page, "/account/privacy");

    // An explicit confirmation is needed.
    await page.getByLabel("Current password").fill(user.password);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await eventually(() => page.getByLabel(/my account and its data will be deleted/).getAttribute("aria-invalid")).toBe("true");
    expect((await when.getMe(token)).status).toBe(200);

    await page.getByLabel(/my account and its data will be deleted/).check();
    await page.getByRole("button", { name: "Delete my account" }).click();
    await eventually(() => page.url()).toMatch(/\/login$/);
    await eventually(() => page.getByText("The account has been deleted.").isVisible()).toBe(true);
    expect((await when.getMe(token)).status).toBe(401);
    expect((await when.login(user.username, user.password)).status).not.toBe(200);
  });
});

describe("the web app: registration errors", () => {
  it("shows a weak password and a taken e-mail beside their fields", async () => {
    const taken = await given.aVerifiedUser();
    const { page } = await newPage(browser);
    await page.goto("/register");
    await page.getByLabel("Password", { exact: true }).fill("password123");
    await eventually(() => page.getByText(/too common/).first().isVisible()).toBe(true);
    await screenshot(page, "register");
    await expectAccessible(page, "/register");

    await register(page, { username: given.uniqueUsername("web"), email: taken.email, password: given.strongPassword() });
    const emailField = page.getByLabel("E-mail");
    await eventually(() => emailField.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await emailField.getAttribute("aria-describedby")) ?? "";
    await eventually(() => page.locator(`[id="${describedBy.split(" ").pop()}"]`).textContent()).toMatch(/already exists/);
  });
});
