import { test, expect } from "./fixtures";

test.use({ javaScriptEnabled: false });

test("with JavaScript off every page still reads fully", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator(".lead-story h2")).toBeVisible();
  await expect(page.getByRole("heading", { name: "EDITOR'S PICK" })).toBeVisible();

  // The filter is a set of plain links: the server renders the narrowed list.
  await page.getByRole("group", { name: "Filter by category" }).getByRole("link", { name: "Tech" }).click();
  await expect(page).toHaveURL(/\?category=tech$/);
  expect(new Set(await page.locator(".latest-list .cat-label").allTextContents())).toEqual(new Set(["Tech"]));

  await page.getByRole("navigation", { name: "Sections", exact: true }).getByRole("link", { name: "World" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "World" })).toBeVisible();
  await page.locator(".article-list .card-title a").first().click();
  await expect(page.locator(".article-body p").first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "Related Posts" })).toBeVisible();
  await expect(page.getByRole("complementary", { name: "READ ALSO" }).getByRole("link")).toHaveCount(2);
});

test("with JavaScript off the search box is a plain GET form", async ({ page }) => {
  await page.goto("/");
  const box = page.getByRole("combobox", { name: "Search articles" }).first();
  await box.fill("market");
  await box.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=market$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Search results for “market”");
  await expect(page.locator(".result").first()).toBeVisible();
  await expect(page.locator(".result mark").first()).toBeVisible();
});
