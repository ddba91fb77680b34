import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { stack } from "./stack";

// Browser steps: Debian's Chromium driven by playwright-core, headless, on the test stack's front
// door (the web app and the API on one origin). One browser per test file, a fresh context (no
// cookies, no storage) per user.

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// Without the background-networking flags Chromium opens connections this closed network refuses.
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];

export const webUrl = () => stack().urls.web;

/** expect.poll with time for a page to call the API (a function's first call bundles it locally). */
export const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 100 });

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/** A new browser profile for one person, English unless asked. */
export async function newPage(browser: Browser, options: { locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: webUrl(), locale: options.locale ?? "en-GB", viewport: { width: 1200, height: 860 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  return { context, page };
}

const AXE_SOURCE = fs.readFileSync(path.join(path.dirname(require.resolve("axe-core")), "axe.min.js"), "utf8");

/** axe-core on the page as it is now: no serious or critical violation (WCAG 2.1 A/AA rules). */
export async function expectAccessible(page: Page, where: string) {
  if (!(await page.evaluate(() => "axe" in globalThis))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const result = await axe.run((globalThis as any).document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
    return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  expect(violations, `accessibility violations on ${where}`).toEqual([]);
}

/**
 * A screenshot of the page: into web/screenshots/ (the README shows them) when
 * UPDATE_SCREENSHOTS=1 (`npm run screenshots`), else into a temp folder so the path is exercised.
 */
export async function screenshot(page: Page, name: string) {
  const dir = process.env.UPDATE_SCREENSHOTS === "1" ? path.join(__dirname, "..", "..", "web", "screenshots") : path.join(os.tmpdir(), "sharing-users-screenshots");
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
