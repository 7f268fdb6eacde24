import { expect, type Page } from "@playwright/test";

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
