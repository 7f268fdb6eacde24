import { test, expect } from "./fixtures";
import { openHydrated, expectSameDocument } from "./helpers";

test("home renders, hydrates and logs no errors", async ({ page }) => {
  const errors = await openHydrated(page, "/");
  await expect(page.getByRole("link", { name: "The Daily Meridian" }).first()).toBeVisible();
  await expect(page.locator(".today")).toHaveText(/^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \w+ \d{1,2}, \d{4}$/);
  await expect(page.getByRole("navigation", { name: "Sections", exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "EDITOR'S PICK" })).toBeVisible();
  await expect(page.locator(".lead-story h2")).toBeVisible();
  await expect(page.locator(".copyright")).toHaveText(new RegExp(`© ${new Date().getFullYear()} The Daily Meridian`));
  await page.waitForLoadState("networkidle");
  expect(errors).toEqual([]);
});

test("navigation and article links do not reload the document", async ({ page }) => {
  await openHydrated(page, "/");
  const nav = page.getByRole("navigation", { name: "Sections", exact: true });
  await nav.getByRole("link", { name: "Tech" }).click();
  await expect(page).toHaveURL(/\/category\/tech$/);
  await expect(page.getByRole("heading", { level: 1, name: "Tech" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Tech" })).toHaveAttribute("aria-current", "page");
  await expectSameDocument(page);

  const first = page.locator(".article-list .card-title a").first();
  const title = (await first.textContent())!.trim();
  await first.click();
  await expect(page).toHaveURL(/\/article\//);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page).toHaveTitle(new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  await expectSameDocument(page);

  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Home" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expectSameDocument(page);
});

test("category pages page with real links", async ({ page }) => {
  await openHydrated(page, "/category/world");
  const pager = page.getByRole("navigation", { name: "Pagination" });
  await pager.getByRole("link", { name: "Page 2" }).click();
  await expect(page).toHaveURL(/\/category\/world\/page\/2$/);
  await expect(pager.locator("[aria-current=page]")).toHaveText("2");
  await expectSameDocument(page);
});

test("a byline leads to the author's page, which pages like a section", async ({ page }) => {
  // One of the demo's writers with more than a page of articles (twelve to a page).
  await openHydrated(page, "/author/niall-sorby");
  await page.locator(".article-list .card a").first().click();
  const author = page.locator(".byline a[rel=author]", { hasText: "Niall Sørby" });
  await author.click();
  await expect(page).toHaveURL(/\/author\/niall-sorby$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Niall Sørby");
  const pager = page.getByRole("navigation", { name: "Pagination" });
  await pager.getByRole("link", { name: "Page 2" }).click();
  await expect(page).toHaveURL(/\/author\/niall-sorby\/page\/2$/);
  await expect(pager.locator("[aria-current=page]")).toHaveText("2");
  await expect(page.locator(".article-list .card").first()).toBeVisible();
  await expectSameDocument(page);
});

test("the category filter narrows the list at once and the URL says which", async ({ page }) => {
  await openHydrated(page, "/");
  const filter = page.getByRole("group", { name: "Filter by category" });
  const list = page.locator(".latest-list");
  await filter.getByRole("link", { name: "Travel" }).click();
  await expect(page).toHaveURL(/\/\?category=travel$/);
  await expect(filter.getByRole("link", { name: "Travel" })).toHaveAttribute("aria-current", "true");
  await expect(list.locator(".cat-label").first()).toHaveText("Travel");
  const labels = await list.locator(".cat-label").allTextContents();
  expect(labels.length).toBeGreaterThan(3);
  expect(new Set(labels)).toEqual(new Set(["Travel"]));
  await expectSameDocument(page);

  await filter.getByRole("link", { name: "Opinion" }).click();
  await expect(page).toHaveURL(/\/\?category=opinion$/);
  await expect(list.locator(".cat-label").first()).toHaveText("Opinion");
  expect(new Set(await list.locator(".cat-label").allTextContents())).toEqual(new Set(["Opinion"]));

  await filter.getByRole("link", { name: "All" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect.poll(async () => new Set(await list.locator(".cat-label").allTextContents()).size).toBeGreaterThan(1);
  await expectSameDocument(page);

  // The same address renders the filtered list on the server.
  await page.goto("/?category=business");
  expect(new Set(await list.locator(".cat-label").allTextContents())).toEqual(new Set(["Business"]));
});

test("the live search dropdown shows matches, No Result and View All Result", async ({ page }) => {
  await openHydrated(page, "/");
  const box = page.getByRole("combobox", { name: "Search articles" }).first();
  await box.fill("harb");
  const listbox = page.getByRole("listbox", { name: "Matching articles" }).first();
  await expect(listbox.getByRole("option").first()).toBeVisible();
  await expect(box).toHaveAttribute("aria-expanded", "true");
  const viewAll = page.getByRole("link", { name: "View All Result" }).first();
  await expect(viewAll).toBeVisible();
  await expect(viewAll).toHaveAttribute("href", "/search?q=harb");

  await box.fill("zzqqxxvv");
  await expect(page.getByText("No Result").first()).toBeVisible();

  await box.fill("harbour");
  await expect(listbox.getByRole("option").first()).toBeVisible();
  await page.getByRole("link", { name: "View All Result" }).first().click();
  await expect(page).toHaveURL(/\/search\?q=harbour$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Search results for “harbour”");
  await expect(page.locator(".result mark").first()).toBeVisible();
  await expectSameDocument(page);
});

test("search by keyboard: arrow down and Enter open the article", async ({ page }) => {
  await openHydrated(page, "/");
  const box = page.getByRole("combobox", { name: "Search articles" }).first();
  await box.click();
  await box.pressSequentially("parliament", { delay: 20 });
  const first = page.getByRole("option").first();
  await expect(first).toBeVisible();
  const title = (await first.locator(".suggestion-title").textContent())!.trim();
  await box.press("ArrowDown");
  await expect(first).toHaveAttribute("aria-selected", "true");
  await expect(box).toHaveAttribute("aria-activedescendant", (await first.getAttribute("id"))!);
  await box.press("Enter");
  await expect(page).toHaveURL(/\/article\//);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(box).toHaveAttribute("aria-expanded", "false");
  await box.press("Escape");
  await expectSameDocument(page);
});

test("pressing Enter in the search box opens the results page", async ({ page }) => {
  await openHydrated(page, "/");
  const box = page.getByRole("combobox", { name: "Search articles" }).first();
  await box.fill("council");
  await box.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=council$/);
  await expect(page.getByRole("status")).toHaveText(/\d+ results?/);
  await expectSameDocument(page);
});

test("the article page shows every block", async ({ page }) => {
  await openHydrated(page, "/category/politics/page/2");
  await page.locator(".article-list .card-title a").first().click();
  await expect(page).toHaveURL(/\/article\//);
  const breadcrumb = page.getByRole("navigation", { name: "Breadcrumb" });
  await expect(breadcrumb.getByRole("link", { name: "Home" })).toBeVisible();
  await expect(breadcrumb.getByRole("link", { name: "Politics" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator(".byline")).toContainText(/By .+/);
  await expect(page.locator(".byline")).toContainText("in Politics");
  await expect(page.locator(".byline")).toContainText(/\d+ min read/);
  await expect(page.locator(".byline time")).toHaveText(/^\w+ \d{1,2}, \d{4}$/);
  await expect(page.locator(".lead-figure img")).toBeVisible();
  await expect(page.locator(".lead-figure .credit")).toHaveText(/^© /);
  const readAlso = page.getByRole("complementary", { name: "READ ALSO" });
  await expect(readAlso.getByRole("link")).toHaveCount(2);
  await expect(page.locator(".article-body h2").first()).toBeVisible();
  await expect(page.locator(".article-body figure figcaption .credit").first()).toHaveText(/^© /);
  await expect(page.getByRole("heading", { name: "Related Posts" })).toBeVisible();
  await expect(page.locator(".related .card")).toHaveCount(6);
  await expect(page.getByText("Next Post")).toBeVisible();
  await expect(page.getByText("Previous Post")).toBeVisible();
  const picks = page.getByRole("region", { name: "EDITOR'S PICK" });
  await expect(picks.getByRole("listitem")).toHaveCount(10);
  await expect(page.getByRole("heading", { name: "Latest headlines" })).toBeVisible();

  // Next Post navigates client-side to the newer article.
  const nextTitle = (await page.locator(".post-nav-link.next .post-nav-title").textContent())!.trim();
  await page.locator(".post-nav-link.next").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(nextTitle);
  await expectSameDocument(page);
});

test("unknown addresses and articles are real 404 pages", async ({ page }) => {
  for (const path of ["/no/such/page", "/article/this-article-does-not-exist"]) {
    const response = await page.goto(path);
    expect(response!.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
    await expect(page.getByRole("link", { name: "Go to the front page" })).toBeVisible();
  }
});

test("on a phone the menu button opens the drawer with sections and search", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await openHydrated(page, "/");
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  const drawer = page.getByRole("dialog", { name: "Menu" });
  await expect(drawer.getByRole("combobox", { name: "Search articles" })).toBeVisible();
  await drawer.getByRole("link", { name: "Lifestyle" }).click();
  await expect(page).toHaveURL(/\/category\/lifestyle$/);
  await expect(drawer).toBeHidden();
  await expectSameDocument(page);
  await context.close();
});

test("back and forward move between pages without a reload, each at its own scroll position", async ({ page }) => {
  await openHydrated(page, "/");
  const more = page.locator(".home-section .section-more").last();
  await more.scrollIntoViewIfNeeded();
  const before = await page.evaluate(() => window.scrollY);
  expect(before).toBeGreaterThan(300);
  await more.click();
  await expect(page).toHaveURL(/\/category\//);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // A new page starts at its top.
  expect(await page.evaluate(() => window.scrollY)).toBe(0);

  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator(".lead-story")).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(before - 5);
  expect(await page.evaluate(() => window.scrollY)).toBeLessThan(before + 5);
  await expectSameDocument(page);

  await page.goForward();
  await expect(page).toHaveURL(/\/category\//);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectSameDocument(page);

  // The filter's states are history entries too.
  await page.goBack();
  const filter = page.getByRole("group", { name: "Filter by category" });
  await expect(filter.getByRole("link", { name: "All" })).toHaveAttribute("aria-current", "true");
  await page.locator("body[data-hydrated=true] leptos-island .filter").waitFor();
  await filter.getByRole("link", { name: "World" }).click();
  await expect(page).toHaveURL(/\?category=world$/);
  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await expect(filter.getByRole("link", { name: "All" })).toHaveAttribute("aria-current", "true");
  await expect.poll(async () => new Set(await page.locator(".latest-list .cat-label").allTextContents()).size).toBeGreaterThan(1);
  await expectSameDocument(page);
});

test("a reader's page downloads the islands, never the newsroom's code", async ({ page }) => {
  const wasm: string[] = [];
  page.on("request", (req) => {
    if (/\.wasm$/.test(new URL(req.url()).pathname)) wasm.push(new URL(req.url()).pathname);
  });
  await openHydrated(page, "/");
  await page.locator(".latest-list .card-title a").first().click();
  await expect(page).toHaveURL(/\/article\//);
  await page.locator("#site-search").fill("harbour");
  await expect(page.getByRole("listbox", { name: "Matching articles" }).first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(wasm).toHaveLength(1);
  expect(wasm[0]).toMatch(/^\/pkg\/portal\.[^/]+\.wasm$/);
  await expectSameDocument(page);
});
