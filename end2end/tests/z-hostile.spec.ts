// Script in every text field an editor can write, and in what a reader types: published,
// listed, searched and read in Chromium, none of it runs. (Runs last: it publishes an article,
// and takes it down again at the end.)
import { test, expect, type Page } from "./fixtures";

const EDITOR = { email: "editor@meridian.example", password: "meridian-editor-demo" };

const form = {
  title: `Pwned <script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`,
  slug: "",
  category: "tech",
  excerpt: `<b onmouseover="window.__pwned=3">pwned excerpt</b> <iframe src="javascript:window.__pwned=4"></iframe>`,
  body_md: [
    "Hello <script>window.__pwned=5</script>",
    `<img src=x onerror="window.__pwned=6">`,
    "[click me](javascript:window.__pwned=7)",
    `![x" onerror="window.__pwned=8](/media/demo/nothing.svg "cap\\" onload=\\"window.__pwned=9")`,
    "<svg><script>window.__pwned=10</script></svg>",
  ].join("\n\n"),
  author_name: `<svg onload="window.__pwned=11">Reporter`,
  image: null,
  image_alt: "",
  image_caption: "",
  image_credit: "",
  read_also: [],
  editors_pick: false,
  pick_order: 0,
};

async function expectInert(page: Page, dialogs: string[]) {
  await page.waitForLoadState("networkidle");
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
}

test("script written into an article or typed by a reader never runs", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await page.goto("/admin/login");
  await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
  await page.getByLabel("E-mail").fill(EDITOR.email);
  await page.getByLabel("Password").fill(EDITOR.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/admin$/);

  const created = await page.request.post("/api/admin/new", {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    data: "",
  });
  expect(created.status()).toBe(200);
  const id = await created.json();
  const save = await page.request.post("/api/admin/save", {
    data: { id, base_version: 1, form, autosave: false },
  });
  const saved = (await save.json()).Saved;
  expect(saved, JSON.stringify(await save.json())).toBeTruthy();
  const publish = await page.request.post("/api/admin/status", {
    data: { id, base_version: saved.version, action: "Publish" },
  });
  const published = (await publish.json()).Saved;
  expect(published, JSON.stringify(await publish.json())).toBeTruthy();

  // The editor's own view of it.
  await page.goto(`/admin/articles/${id}`);
  await expect(page.getByRole("heading", { name: "Publish" })).toBeVisible();
  await expectInert(page, dialogs);

  // Readers: the article, the home page and the section that list it, search.
  await page.goto(`/article/${published.slug}`);
  await expect(page.locator("h1.article-title")).toContainText("Pwned");
  await expectInert(page, dialogs);
  for (const path of ["/", "/category/tech", "/search?q=pwned", `/search?q=${encodeURIComponent("<script>window.__pwned=12</script>")}`]) {
    await page.goto(path);
    await expectInert(page, dialogs);
  }
  // The live dropdown, with the article in it and script typed into the box.
  await page.goto("/");
  await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
  const box = page.getByRole("combobox").first();
  await box.fill("pwned");
  await expect(page.getByRole("option").first()).toBeVisible();
  await box.fill(`"><img src=x onerror="window.__pwned=13">`);
  await expectInert(page, dialogs);

  // Taken down again, for whatever runs after.
  const version = published.version;
  const down = await page.request.post("/api/admin/status", {
    data: { id, base_version: version, action: "Unpublish" },
  });
  expect(down.status()).toBe(200);
});
