import { test, expect, type Page } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { EDITOR, login, newArticle, openHydrated, expectSameDocument, waitSaved } from "./helpers";

/** The editor's composer: posts `text` and waits until the newsroom lists it. */
async function postUpdate(editor: Page, text: string, key?: string) {
  const panel = editor.getByRole("region", { name: "Live coverage" });
  await panel.getByLabel("Update", { exact: true }).fill(text);
  if (key) {
    await panel.getByLabel("Key event", { exact: true }).check();
    await panel.getByLabel("Key event title").fill(key);
  }
  await panel.getByRole("button", { name: "Post update" }).click();
  await expect(panel.locator(".live-admin-list")).toContainText(text);
  await expect(panel.getByLabel("Update", { exact: true })).toHaveValue("");
}

test("live coverage: an editor posts, open pages show it at once, a reader below gets the button, a page offline catches up", async ({ page, browser }) => {
  const n = Date.now() % 100000;
  const title = `Storm reaches the harbour ${n}`;
  await login(page, EDITOR);
  await newArticle(page);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Excerpt").fill("High winds and a spring tide along the coast tonight.");
  await page.getByLabel("Body", { exact: true }).fill(
    "The coastguard has closed the outer quay.\n\n" +
      Array.from({ length: 12 }, (_, i) => `Paragraph ${i + 1} of the background: the sea wall was last raised in 1987.`).join("\n\n"),
  );
  await waitSaved(page);
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.locator(".status-line")).toContainText("Published");
  const href = (await page.getByRole("link", { name: /View on site/ }).getAttribute("href"))!;

  // Live coverage on, and a first update (the unsent text survives a reload of the tab).
  const panel = page.getByRole("region", { name: "Live coverage" });
  await panel.getByRole("button", { name: "Start live coverage" }).click();
  await expect(panel.locator(".live-badge")).toHaveText("LIVE");
  await panel.getByLabel("Update", { exact: true }).fill(`Half typed ${n}`);
  await page.reload();
  await expect(page.getByRole("region", { name: "Live coverage" }).getByLabel("Update", { exact: true })).toHaveValue(`Half typed ${n}`);
  await postUpdate(page, `Gusts of 90 km/h on the pier ${n}`, "Outer quay closed");

  // A reader with the page open.
  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  await openHydrated(reader, href);
  const feed = reader.getByRole("feed", { name: "Live updates" });
  await expect(feed.getByRole("article")).toHaveCount(1);
  await expect(reader.getByRole("navigation", { name: "Key events" })).toContainText("Outer quay closed");

  // A page that lost the network (its stream cannot connect) before the next updates.
  const offlineContext = await browser.newContext();
  const offline = await offlineContext.newPage();
  await offline.route("**/api/live/**", (route) => route.abort());
  await openHydrated(offline, href);

  // The editor posts: the reader at the top sees it within 2 s, without a reload.
  await postUpdate(page, `The ferry to Saltmarsh is cancelled ${n}`);
  await expect(feed.getByRole("article").first()).toContainText(`The ferry to Saltmarsh is cancelled ${n}`, { timeout: 2_000 });
  await expectSameDocument(reader);

  // Scrolled down into the stream: the new update waits behind a button.
  await feed.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY + 40));
  await expect.poll(() => feed.evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(0);
  await postUpdate(page, `Sandbags handed out at the market ${n}`);
  const button = reader.getByRole("button", { name: "1 new update" });
  await expect(button).toBeVisible({ timeout: 2_000 });
  await expect(feed).not.toContainText(`Sandbags handed out at the market ${n}`);
  await button.click();
  await expect(feed.getByRole("article").first()).toContainText(`Sandbags handed out at the market ${n}`);
  await expect(button).toHaveCount(0);

  // An edit and a deletion reach the open page too.
  const list = page.getByRole("region", { name: "Live coverage" }).locator(".live-admin-update");
  const ferry = list.filter({ hasText: "The ferry to Saltmarsh" });
  page.once("dialog", (d) => d.accept());
  await ferry.getByRole("button", { name: "Delete" }).click();
  await expect(list.filter({ hasText: "The ferry to Saltmarsh" })).toHaveCount(0);
  await expect(feed).not.toContainText("The ferry to Saltmarsh", { timeout: 2_000 });

  // The page that was offline catches up once its network is back: everything, once.
  await expect(offline.getByRole("feed", { name: "Live updates" }).getByRole("article")).toHaveCount(1);
  await offline.unroute("**/api/live/**");
  const offlineFeed = offline.getByRole("feed", { name: "Live updates" });
  await expect(offlineFeed).toContainText(`Sandbags handed out at the market ${n}`, { timeout: 10_000 });
  await expect(offlineFeed.getByRole("article")).toHaveCount(2);
  await expect(offlineFeed).not.toContainText("The ferry to Saltmarsh");
  await offlineContext.close();

  // Nothing on the live page is in the way of a screen reader or a keyboard.
  const results = await new AxeBuilder({ page: reader }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((x) => x.target.join(" ")).join(" | ")}`);
  expect(bad).toEqual([]);

  // Ending the coverage: the open page says so.
  page.once("dialog", (d) => d.accept());
  await page.getByRole("region", { name: "Live coverage" }).getByRole("button", { name: "End live coverage" }).click();
  await expect(reader.getByRole("note")).toContainText("This live coverage has ended", { timeout: 2_000 });
  await readerContext.close();
});
