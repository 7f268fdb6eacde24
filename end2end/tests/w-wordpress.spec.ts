// Moving a WordPress site in: the real WordPress export of tests/fixtures/wordpress is imported
// with the command an operator runs (`portal import wordpress`, beside the running server, on
// its database), then a reader follows old permalinks from a search engine or a bookmark.
import { test, expect } from "./fixtures";
import { ADMIN, EDITOR, login } from "./helpers";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

const fixture = path.resolve(__dirname, "../../tests/fixtures/wordpress");
const slug = "harbour-council-backs-new-ferry-timetable";

test("an admin imports a WordPress export from the newsroom and watches it finish", async ({ page, browser }) => {
  // Editors do not see the page's form.
  const editorPage = await browser.newPage();
  await login(editorPage, EDITOR);
  await editorPage.goto("/admin/import");
  await expect(editorPage.getByText("Only admins can import content.")).toBeVisible();
  await editorPage.close();

  await login(page, ADMIN);
  await page.getByRole("link", { name: "Import", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Import from WordPress" })).toBeVisible();
  await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
  await page.getByLabel("Export file (.xml)").setInputFiles(path.join(fixture, "export.xml"));
  await page.getByLabel(/Dry run/).check();
  await page.getByRole("button", { name: "Import" }).click();
  const status = page.getByRole("status");
  await expect(status.getByRole("heading", { name: "Dry run finished: nothing was changed" })).toBeVisible();
  await expect(status).toContainText("Would import from https://gazette.example");

  await page.getByLabel("Export file (.xml)").setInputFiles(path.join(fixture, "export.xml"));
  await page.getByLabel(/Dry run/).uncheck();
  await page.getByRole("button", { name: "Import" }).click();
  await expect(status.getByRole("heading", { name: "Import finished" })).toBeVisible();
  await expect(status).toContainText("8 of 8 posts");
  await expect(status).toContainText("7 posts (4 published, 1 scheduled, 2 as drafts)");
  await expect(status).toContainText("Images: 2 imported");
  await expect(status).toContainText("lost-harbour.jpg");
  // Reloading the page shows the same finished import.
  await page.reload();
  await expect(page.getByRole("status").getByRole("heading", { name: "Import finished" })).toBeVisible();
});

test("an imported WordPress site keeps its old addresses", async ({ page }) => {
  // The operator's command on the same export: everything is there already, nothing changes.
  const bin = process.env.PORTAL_BIN;
  expect(bin, "scripts/e2e.sh names the server binary in PORTAL_BIN").toBeTruthy();
  const report = execFileSync(
    bin!,
    ["import", "wordpress", path.join(fixture, "export.xml"), "--media-dir", path.join(fixture, "uploads")],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUST_LOG: "warn" } },
  );
  expect(report).toContain("Imported from https://gazette.example");
  expect(report).toContain("11 imported before, left as they are"); // 7 posts, 4 pages

  // The permalink WordPress gave the post: a 301 to its new address, with the whole article.
  await page.goto(`/2024/05/03/${slug}/`);
  await expect(page).toHaveURL(new RegExp(`/article/${slug}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Harbour council backs a new ferry timetable");
  await expect(page.getByText("Desk Editor").first()).toBeVisible();
  // The featured image (the lead) and the same picture as a figure in the body, both captioned.
  await expect(page.locator(".lead-image")).toHaveAttribute("alt", "Fishing boats tied up along the quay at dawn");
  const figure = page.locator(".article-body figure").filter({ hasText: "The north quay before the first ferry" });
  const picture = figure.getByRole("img", { name: "Fishing boats tied up along the quay at dawn" });
  await picture.scrollIntoViewIfNeeded();
  await expect(picture).toBeVisible();
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  // WordPress's short link (/?p=ID, from its export) and a category-style permalink.
  const xml = readFileSync(path.join(fixture, "export.xml"), "utf8");
  const item = xml.split("<item>").find((i) => i.includes(`<wp:post_name><![CDATA[${slug}]]>`))!;
  const id = /<wp:post_id>(\d+)<\/wp:post_id>/.exec(item)![1];
  await page.goto(`/?p=${id}`);
  await expect(page).toHaveURL(new RegExp(`/article/${slug}$`));
  await page.goto("/local-news/ferry-strike-live-updates/");
  await expect(page).toHaveURL(/\/article\/ferry-strike-live-updates$/);
  await expect(page.getByRole("link", { name: "Drone footage of the quay" })).toHaveAttribute(
    "href",
    "https://www.youtube.com/watch?v=harbour123",
  );

  // A page's old address (WordPress's /?page_id=N) leads to the page, under its parent.
  await page.goto("/?page_id=16");
  await expect(page).toHaveURL(/\/about-the-gazette\/reporters$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Our reporters");

  // An address that was never anyone's is still the 404 page.
  const missing = await page.goto("/2024/05/03/no-such-post/");
  expect(missing!.status()).toBe(404);
});
