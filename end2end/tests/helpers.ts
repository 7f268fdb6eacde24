import { expect, type Browser, type Page } from "@playwright/test";

/** Opens `path`, fails the test on any console error, and waits until the WASM has hydrated. */
export async function openHydrated(page: Page, path: string): Promise<string[]> {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(String(err)));
  await page.goto(path);
  await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
  // A marker that only survives if no document load happens from now on.
  await page.evaluate(() => ((window as any).__sameDocument = true));
  return errors;
}

export async function expectSameDocument(page: Page) {
  expect(await page.evaluate(() => (window as any).__sameDocument === true)).toBe(true);
}

export type Account = { email: string; password: string };
export const EDITOR: Account = { email: "editor@meridian.example", password: "meridian-editor-demo" };
export const AUTHOR: Account = { email: "author@meridian.example", password: "meridian-author-demo" };
export const ADMIN: Account = { email: "admin@meridian.example", password: "meridian-admin-demo" };

/** Logs `who` in through the login page of `base` (the test's own site when empty). */
export async function login(page: Page, who: Account, base = "") {
  await page.goto(`${base}/admin/login`);
  await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
  await page.getByLabel("E-mail").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("button", { name: "New article" })).toBeVisible();
}

/** From the dashboard: a new article open in the editor; returns its address. */
export async function newArticle(page: Page): Promise<string> {
  await page.getByRole("button", { name: "New article" }).click();
  await expect(page).toHaveURL(/\/admin\/articles\/\d+$/);
  // The editor's code arrives as its own WASM chunk: wait for the editor itself, not the URL.
  await expect(page.getByRole("heading", { name: "Publish" })).toBeVisible();
  return page.url();
}

export async function waitSaved(page: Page) {
  await expect(page.getByRole("status").filter({ hasText: /Saved at|All changes saved/ }).first()).toBeVisible({ timeout: 15_000 });
}

/** A real PNG: a screenshot of a coloured box drawn for the purpose. */
export async function makePng(browser: Browser): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: 900, height: 500 } });
  await page.setContent(`<div style="width:900px;height:500px;background:linear-gradient(90deg,#0a4,#fd0)"></div>`);
  const png = await page.screenshot();
  await page.close();
  return png;
}
