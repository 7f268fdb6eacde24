import { test, expect, type Page } from "./fixtures";
import { ADMIN, AUTHOR, EDITOR, login, makePng, newArticle, waitSaved } from "./helpers";

test("an editor writes an article with an image, previews, publishes and edits it", async ({ page, browser }) => {
  const unique = `Lantern festival lights up Saltmarsh ${Date.now() % 100000}`;
  const word = `lantern${Date.now() % 100000}`;
  await login(page, EDITOR);
  await newArticle(page);
  await page.getByLabel("Title").fill(unique);
  await expect(page.getByLabel("Address (slug)")).toHaveAttribute("placeholder", /lantern-festival-lights-up-saltmarsh/);
  await page.getByLabel("Excerpt").fill("Thousands gathered by the water for the first festival in years.");
  await page.getByLabel("Body", { exact: true }).fill(`Paper ${word} lanterns drifted over the harbour.\n\n## A long evening\n\nThe music went on until midnight.`);
  await page.getByRole("combobox", { name: "Section" }).selectOption("lifestyle");

  // Featured image: upload with progress, then alt text and credit.
  const png = await makePng(browser);
  await page.locator("#f-image-file").setInputFiles({ name: "festival.png", mimeType: "image/png", buffer: png });
  await expect(page.locator(".dropzone img")).toBeVisible({ timeout: 15_000 });
  await page.getByLabel("Alt text").fill("Lanterns over the water");
  await page.getByLabel("Credit").fill("Meridian Photo Desk");

  // Tags: an existing one offered as you type, a new one made with Enter.
  const tagField = page.getByLabel("Add a tag");
  await tagField.fill("Hous");
  await page.getByRole("button", { name: "Add tag: Housing" }).click();
  await tagField.fill(`Lanterns ${word}`);
  await tagField.press("Enter");
  await expect(page.getByRole("list", { name: "Tags of this article" }).getByRole("listitem")).toHaveText(["Housing×", `Lanterns ${word}×`]);

  // Toolbar: bold a word.
  const body = page.getByLabel("Body", { exact: true });
  await body.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(0, 5));
  await page.getByRole("button", { name: "Bold" }).click();
  await expect(body).toHaveValue(/^\*\*Paper\*\*/);

  // Live preview, rendered like the article page.
  await page.getByRole("button", { name: "Preview" }).click();
  const preview = page.getByLabel("Preview");
  await expect(preview.locator("h2")).toHaveText("A long evening");
  await expect(preview.locator("strong")).toHaveText("Paper");

  await waitSaved(page);
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.locator(".status-line")).toContainText("Published");
  const view = page.getByRole("link", { name: /View on site/ });
  await expect(view).toBeVisible();
  const href = (await view.getAttribute("href"))!;

  // Readers see it: article page, home, its section, the live search.
  const reader = await browser.newPage();
  await reader.goto(href);
  await expect(reader.getByRole("heading", { level: 1 })).toHaveText(unique);
  await expect(reader.locator(".lead-figure img")).toHaveAttribute("srcset", /400w/);
  await expect(reader.locator(".lead-figure .credit")).toHaveText("© Meridian Photo Desk");
  // Its tags lead to their pages, which list it.
  await reader.getByRole("navigation", { name: "Tags" }).getByRole("link", { name: `Lanterns ${word}` }).click();
  await expect(reader.getByRole("heading", { level: 1 })).toHaveText(`Tag: Lanterns ${word}`);
  await expect(reader.getByRole("link", { name: unique }).first()).toBeVisible();
  await reader.goto("/");
  await expect(reader.getByRole("link", { name: unique }).first()).toBeVisible();
  await reader.goto("/category/lifestyle");
  await expect(reader.getByRole("link", { name: unique }).first()).toBeVisible();
  await expect(reader.locator("body[data-hydrated=true]")).toBeAttached();
  await reader.getByRole("combobox", { name: "Search articles" }).first().fill(word);
  await expect(reader.getByRole("option", { name: new RegExp(unique) })).toBeVisible();

  // Edit: the change is live on the next request after Update.
  await page.getByLabel("Body", { exact: true }).fill(`Paper ${word} lanterns drifted over the harbour.\n\n## A long evening\n\nThe music went on until two in the morning.`);
  const saveState = page.locator(".save-state");
  await expect(saveState).not.toHaveText(/^Saved at/);
  await page.getByRole("button", { name: "Update" }).first().click();
  await expect(saveState).toHaveText(/^Saved at/);
  await reader.close();
  // A new reader (the first one's browser may keep the page for its 30 s max-age).
  const later = await browser.newPage();
  await later.goto(href);
  await expect(later.locator("article.article")).toContainText("two in the morning");
  await later.close();
});

test("an author can write and submit but not publish", async ({ page }) => {
  await login(page, AUTHOR);
  await expect(page.getByRole("heading", { name: "My articles" })).toBeVisible();
  await newArticle(page);
  await page.getByLabel("Title").fill("An author's story waiting for review");
  await page.getByLabel("Excerpt").fill("It needs an editor's eye.");
  await page.getByLabel("Body", { exact: true }).fill("Draft text.");
  await waitSaved(page);
  await expect(page.getByRole("button", { name: "Publish", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Schedule" })).toHaveCount(0);
  await expect(page.getByLabel("Show in Editor's Pick")).toBeDisabled();
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.locator(".status-line")).toContainText("In review");
});

test("two people editing one article: the second save shows the conflict and keeps the text", async ({ browser }) => {
  const a = await browser.newContext();
  const b = await browser.newContext();
  const pa = await a.newPage();
  const pb = await b.newPage();
  await login(pa, EDITOR);
  const url = await newArticle(pa);
  await pa.getByLabel("Title").fill("Bridge repairs begin on the east side");
  await pa.getByLabel("Body", { exact: true }).fill("Original text.");
  await waitSaved(pa);

  await login(pb, ADMIN);
  await pb.goto(url);
  await expect(pb.locator("body[data-hydrated=true]")).toBeAttached();
  await expect(pb.getByLabel("Title")).toHaveValue("Bridge repairs begin on the east side");

  await pa.getByLabel("Body", { exact: true }).fill("Editor A rewrote this paragraph.");
  await waitSaved(pa);
  const mine = "Admin B wrote something else entirely.";
  await pb.getByLabel("Body", { exact: true }).fill(mine);

  const conflict = pb.getByRole("alert").filter({ hasText: "This article was changed while you were editing" });
  await expect(conflict).toBeVisible({ timeout: 15_000 });
  await expect(pb.getByRole("status").filter({ hasText: "someone else changed" })).toBeVisible();
  await expect(conflict.locator(".diff")).toContainText("Editor A rewrote this paragraph.");
  await expect(conflict.locator(".diff")).toContainText(mine);
  // Nothing lost: B's text is still in the form...
  await expect(pb.getByLabel("Body", { exact: true })).toHaveValue(mine);
  // ...and A's version is what is saved until B decides.
  await pa.reload();
  await expect(pa.getByLabel("Body", { exact: true })).toHaveValue("Editor A rewrote this paragraph.");

  await conflict.getByRole("button", { name: "Save my version" }).click();
  await expect(pb.getByRole("status").filter({ hasText: /Saved at/ })).toBeVisible();
  await pa.reload();
  await expect(pa.getByLabel("Body", { exact: true })).toHaveValue(mine);
  await a.close();
  await b.close();
});

test("text typed just before the tab closes comes back from the local copy", async ({ page, context }) => {
  await login(page, EDITOR);
  const url = await newArticle(page);
  await page.getByLabel("Title").fill("Local copy check for the harbour story");
  await waitSaved(page);
  // Cut the connection: the autosave fails visibly, the text stays in this browser.
  await context.setOffline(true);
  await page.getByLabel("Body", { exact: true }).fill("Typed while the connection was down.");
  await expect(page.getByRole("status").filter({ hasText: /Not saved — retrying/ })).toBeVisible({ timeout: 15_000 });
  await page.close();
  await context.setOffline(false);
  const again = await context.newPage();
  await again.goto(url);
  await expect(again.locator("body[data-hydrated=true]")).toBeAttached();
  const banner = again.getByRole("alert").filter({ hasText: "unsaved changes" });
  await expect(banner).toBeVisible();
  await banner.getByRole("button", { name: "Restore them" }).click();
  await expect(again.getByLabel("Body", { exact: true })).toHaveValue("Typed while the connection was down.");
  await expect(again.getByRole("status").filter({ hasText: /Saved at/ })).toBeVisible({ timeout: 15_000 });
});

test("a save the server cannot store says so, keeps the text here and goes through later", async ({ page }) => {
  await login(page, EDITOR);
  const url = await newArticle(page);
  await page.getByLabel("Title").fill("Storage trouble in the newsroom");
  await waitSaved(page);
  // The server's answer when its disk is full (tests/newsroom.rs proves the server gives it).
  let full = true;
  await page.route("**/api/admin/save", async (route) => {
    if (!full) return route.continue();
    await route.fulfill({
      status: 503,
      contentType: "application/json",
      body: JSON.stringify({ kind: "Unavailable", error: "The server's storage is full; nothing was changed. Please try again later." }),
    });
  });
  await page.getByLabel("Body", { exact: true }).fill("Written while the disk was full.");
  await expect(page.getByRole("status").filter({ hasText: /Not saved — retrying/ })).toBeVisible({ timeout: 15_000 });
  const kept = await page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith("portal:article:"))
      .map((k) => localStorage.getItem(k))
      .join("\n"),
  );
  expect(kept).toContain("Written while the disk was full.");
  full = false;
  await expect(page.getByRole("status").filter({ hasText: /Saved at/ })).toBeVisible({ timeout: 20_000 });
  await page.goto(url);
  await expect(page.getByLabel("Body", { exact: true })).toHaveValue("Written while the disk was full.");
  await expect(page.getByRole("alert").filter({ hasText: /unsaved changes|no longer has it/ })).toHaveCount(0);
});

test("logging out ends access to the newsroom", async ({ page }) => {
  await login(page, EDITOR);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/admin\/login$/);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/login\?next=/);
  const res = await page.request.get("/api/admin/articles");
  expect(res.status()).toBe(401);
});

/** A log-in with a wrong password: the message it gets. */
async function wrongLogin(page: Page, email: string) {
  await page.goto("/admin/login");
  await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Wrong e-mail address or password.");
}

test("wrong passwords get a clear message", async ({ page }) => {
  await wrongLogin(page, EDITOR.email);
});

test("an admin adds a user and changes their role; what is wrong is said", async ({ page }) => {
  await login(page, ADMIN);
  await page.getByRole("navigation", { name: "Newsroom" }).getByRole("link", { name: "Users" }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
  const email = `writer${Date.now() % 100000}@meridian.example`;
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Display name").fill("New Writer");
  await page.getByLabel(/^Password/).fill("short");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.locator(".new-user .field-error")).toHaveText(/Passwords need 10/);

  await page.getByLabel(/^Password/).fill("a long enough password");
  // The accounts table (the activity log below names the user too).
  const accounts = page.locator("table.admin-table").first();
  await page.getByRole("button", { name: "Create user" }).click();
  const row = accounts.getByRole("row").filter({ hasText: email });
  await expect(row).toBeVisible();
  await expect(page.locator(".new-user .field-error")).toHaveCount(0);

  await row.getByRole("combobox").selectOption("editor");
  await row.getByRole("button", { name: "Save" }).click();
  await expect.poll(async () => {
    await page.reload();
    return accounts.getByRole("row").filter({ hasText: email }).getByRole("combobox").inputValue();
  }).toBe("editor");

  // The last active admin cannot be taken away. (The poll above reloaded the page: wait until
  // it is interactive again, or the choice and the click land on inert server HTML.)
  await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
  const me = accounts.getByRole("row").filter({ hasText: ADMIN.email });
  await me.getByRole("combobox").selectOption("author");
  await me.getByRole("button", { name: "Save" }).click();
  await expect(me.getByRole("status")).toHaveText(/at least one active admin/);
});

test("opening the editor loads its data together with its code, each once", async ({ page }) => {
  await login(page, EDITOR);
  await page.locator(".title-cell a").first().waitFor();
  const events: string[] = [];
  const name = (url: string) =>
    url.includes("/api/admin/article?") ? "article" :
    url.includes("/api/admin/whoami") ? "whoami" :
    url.includes("editor_route_view") ? "editor code" : null;
  // The editor's code is held back until both requests have been sent (or 5 s have passed):
  // requests that waited for the code would come after it, and the order below would say so.
  let dataAsked = () => {};
  const bothAsked = new Promise<void>((resolve) => (dataAsked = resolve));
  page.on("request", (r) => {
    const n = name(r.url());
    if (n) events.push(`${n} asked`);
    if (events.includes("article asked") && events.includes("whoami asked")) dataAsked();
  });
  page.on("requestfinished", (r) => { const n = name(r.url()); if (n) events.push(`${n} arrived`); });
  await page.route((url) => url.toString().includes("editor_route_view"), async (route) => {
    await Promise.race([bothAsked, new Promise((r) => setTimeout(r, 5000))]);
    await route.continue();
  });
  await page.locator(".title-cell a").first().click();
  await expect(page.getByRole("heading", { name: "Publish" })).toBeVisible();
  expect(events.filter((e) => e === "article asked")).toHaveLength(1);
  expect(events.filter((e) => e === "whoami asked")).toHaveLength(1);
  // The route's data() sends the requests at once: they do not wait for the editor's code.
  expect(events.indexOf("article asked")).toBeLessThan(events.indexOf("editor code arrived"));
  expect(events.indexOf("whoami asked")).toBeLessThan(events.indexOf("editor code arrived"));
});

test("people change their own password and can log out everywhere", async ({ page, browser }) => {
  await login(page, AUTHOR);
  await page.getByRole("navigation", { name: "Newsroom" }).getByRole("link", { name: "Your account" }).click();
  await expect(page.getByRole("heading", { name: "Your account", level: 1 })).toBeVisible();
  const change = async (current: string, next: string) => {
    await page.getByLabel("Current password").fill(current);
    await page.getByLabel("New password (at least 10 characters)").fill(next);
    await page.getByLabel("New password again").fill(next);
    await page.getByRole("button", { name: "Change password" }).click();
  };
  // A second device, logged in before the change.
  const other = await browser.newContext();
  const phone = await other.newPage();
  await login(phone, AUTHOR);
  await change("not my password at all", "a fresh long password");
  await expect(page.getByText("That is not your current password.")).toBeVisible();
  await change(AUTHOR.password, "a fresh long password");
  await expect(page.getByText("Your password is changed. Your other sessions have ended.")).toBeVisible();
  // The other device is logged out; this one carries on.
  await phone.goto("/admin");
  await expect(phone).toHaveURL(/\/admin\/login\?next=/);
  await other.close();
  // Back to the demo password for the tests that follow, then every session ends.
  await change("a fresh long password", AUTHOR.password);
  await expect(page.getByText("Your password is changed.")).toBeVisible();
  // (The message was cleared when the form was sent: this is the second change's answer.)
  await expect(page.getByLabel("Current password")).toHaveValue("");
  await page.getByRole("button", { name: "Log out everywhere" }).click();
  await expect(page).toHaveURL(/\/admin\/login$/);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/login\?next=/);
});

test("admins see the newsroom's activity: log-ins, failed ones with their address", async ({ page }) => {
  await wrongLogin(page, ADMIN.email);
  await login(page, ADMIN);
  await page.getByRole("navigation", { name: "Newsroom" }).getByRole("link", { name: "Users" }).click();
  const activity = page.locator("section.activity");
  await expect(activity.getByRole("heading", { name: "Activity" })).toBeVisible();
  const failed = activity.getByRole("row").filter({ hasText: "failed log-in" }).first();
  await expect(failed).toContainText(ADMIN.email);
  await expect(failed).toContainText("127.0.0.1");
  await expect(activity.getByRole("row").filter({ hasText: "logged in" }).first()).toContainText("Demo Admin");
});

test("an image uploaded once is reused from the library, with its texts", async ({ page, browser }) => {
  const alt = `Gulls over the breakwater ${Date.now() % 100000}`;
  await login(page, EDITOR);
  await newArticle(page);
  await page.getByLabel("Title").fill("Gulls return to the breakwater");
  const png = await makePng(browser);
  await page.locator("#f-image-file").setInputFiles({ name: "gulls.png", mimeType: "image/png", buffer: png });
  await expect(page.locator(".dropzone img")).toBeVisible({ timeout: 15_000 });
  await page.getByLabel("Alt text").fill(alt);
  await page.getByLabel("Credit").fill("Harbour Photo Pool");
  await page.getByRole("button", { name: "Save draft" }).click();
  await waitSaved(page);

  // Another article takes it from the library: no upload, the texts come along.
  await page.goto("/admin");
  await newArticle(page);
  await page.getByRole("button", { name: "From the library" }).click();
  const library = page.getByRole("group", { name: "Media library" });
  await library.getByLabel("Find an image").fill(alt.split(" ").pop()!);
  await library.getByRole("button", { name: `Use image: ${alt}` }).click();
  await expect(page.locator(".dropzone img")).toBeVisible();
  await expect(page.getByLabel("Alt text")).toHaveValue(alt);
  await expect(page.getByLabel("Credit")).toHaveValue("Harbour Photo Pool");

  // The library page lists it and says where it is used.
  await page.goto("/admin/media");
  // The button works once the newsroom's code has taken the page over: a click before that is lost.
  await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
  const card = page.locator(".library-card", { has: page.getByLabel(`Alt text of ${alt}`) });
  await card.getByRole("button", { name: "Where is it used?" }).click();
  await expect(card.getByRole("link", { name: "Gulls return to the breakwater" })).toBeVisible();
});

test("an editor writes a page under another, and an admin puts it in the footer", async ({ page, browser }) => {
  const n = Date.now() % 100000;
  const title = `Visiting the newsroom ${n}`;
  await login(page, EDITOR);
  await page.goto("/admin/pages");
  await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
  await expect(page.getByRole("link", { name: "Our team" })).toBeVisible();
  await page.getByRole("button", { name: "New page" }).click();
  await expect(page).toHaveURL(/\/admin\/articles\/\d+$/);
  await expect(page.getByRole("heading", { name: "Publish" })).toBeVisible();
  // A page has a parent instead of a section, a byline or tags.
  await expect(page.getByRole("combobox", { name: "Section" })).toHaveCount(0);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Parent page").selectOption({ label: "About us (/about-us)" });
  await expect(page.locator(".slug-prefix")).toHaveText("/about-us/");
  await page.getByLabel("Body", { exact: true }).fill("Our doors on Quay Street are open on the first Saturday of each month.");
  await waitSaved(page);
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.locator(".status-line")).toContainText("Published");
  const view = page.getByRole("link", { name: /View on site/ });
  await expect(view).toHaveAttribute("href", `/about-us/visiting-the-newsroom-${n}`);

  // An admin adds it to the footer from the list of pages.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await login(admin, ADMIN);
  await admin.goto("/admin/navigation");
  await expect(admin.locator("body[data-hydrated=true]")).toBeAttached();
  await admin.getByLabel("Add a page").selectOption({ label: `${title} (/about-us/visiting-the-newsroom-${n})` });
  await admin.getByRole("button", { name: "Save navigation" }).click();
  await expect(admin.getByRole("status")).toContainText("Saved");
  await adminContext.close();

  // Readers follow the footer's link to the page, with its parent in the breadcrumb.
  const reader = await browser.newPage();
  await reader.goto("/");
  await reader.getByRole("contentinfo").getByRole("link", { name: title }).click();
  await expect(reader).toHaveURL(new RegExp(`/about-us/visiting-the-newsroom-${n}$`));
  await expect(reader.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(reader.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "About us" })).toBeVisible();
  await reader.close();
});
