import { test, expect, type Page } from "@playwright/test";
import { EDITOR, login, makePng, newArticle, waitSaved } from "../tests/helpers";
import { execFileSync } from "node:child_process";

// Two servers (A and B) on one PostgreSQL database and one S3 store, behind nginx round-robin
// (CLUSTER_URL, the base URL). SERVER_A / SERVER_B reach one server directly.
const A = process.env.SERVER_A!;
const B = process.env.SERVER_B!;

test.describe.configure({ mode: "serial" });

function sql(query: string): string {
  return execFileSync("psql", [process.env.PORTAL_DATABASE_URL!, "-tAc", query], { encoding: "utf8" }).trim();
}

async function writeArticle(page: Page, title: string, body: string) {
  await newArticle(page);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Excerpt").fill("Written on one server, read on the other.");
  await page.getByLabel("Body", { exact: true }).fill(body);
  await page.getByRole("combobox", { name: "Section" }).selectOption("world");
}

test("an editor logged in through one server stays logged in whichever server answers", async ({ page }) => {
  await login(page, EDITOR);
  // Each server directly (the session cookie is the site's, whatever the port), then through
  // nginx, which names the server that answered.
  for (const base of [A, B, A, B, "", ""]) {
    const res = await page.goto(`${base}/admin`);
    await expect(page).toHaveURL(/\/admin$/);
    await expect(page.getByRole("button", { name: "New article" })).toBeVisible();
    if (base === "") {
      expect([A, B].map((u) => u.replace("http://", ""))).toContain(res!.headers()["x-upstream"]);
    }
  }
});

test("published through A: on B's home page at once, its image served by B", async ({ page, browser, request }) => {
  const title = `Ferry line reopens across the strait ${Date.now() % 100000}`;
  // B has the home page in its cache before the change.
  expect((await request.get(`${B}/`)).status()).toBe(200);
  expect(await (await request.get(`${B}/`)).text()).not.toContain(title);

  await login(page, EDITOR, A);
  await writeArticle(page, title, "The first crossing left at dawn.\n\nTickets sold out within the hour.");
  await page.locator("#f-image-file").setInputFiles({ name: "ferry.png", mimeType: "image/png", buffer: await makePng(browser) });
  const preview = page.locator(".dropzone img");
  await expect(preview).toBeVisible({ timeout: 15_000 });
  const src = (await preview.getAttribute("src"))!;
  await page.getByLabel("Alt text").fill("The ferry at the quay");
  await waitSaved(page);
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.locator(".status-line")).toContainText("Published");
  const published = Date.now();

  // The next request to B shows it: B's cache was purged when A committed (LISTEN/NOTIFY),
  // well before B's once-a-second check of the content version.
  let asked = 0;
  await expect
    .poll(async () => { asked++; return (await request.get(`${B}/`)).text(); }, { timeout: 500, intervals: [0, 10, 20, 50] })
    .toContain(title);
  console.log(`B's home page showed the article at request ${asked}, ${Date.now() - published} ms after the editor saw "Published"`);

  // The image A stored is in the shared bucket: B serves it, with the same headers as A.
  const fromA = await request.get(`${A}${src}`);
  const fromB = await request.get(`${B}${src}`);
  expect(fromB.status()).toBe(200);
  expect(fromB.headers()["content-type"]).toBe("image/webp");
  expect(fromB.headers()["cache-control"]).toBe(fromA.headers()["cache-control"]);
  expect(fromB.headers()["etag"]).toBe(fromA.headers()["etag"]);
  const reader = await browser.newPage();
  const href = (await page.getByRole("link", { name: /View on site/ }).getAttribute("href"))!;
  await reader.goto(`${B}${href}`);
  await expect(reader.getByRole("heading", { level: 1 })).toHaveText(title);
  const lead = reader.locator(".lead-figure img");
  await expect(lead).toBeVisible();
  expect(await lead.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await reader.close();
});

test("a scheduled article is published once, with both servers' schedulers running", async ({ page, request }) => {
  const title = `Night market returns to the old port ${Date.now() % 100000}`;
  await login(page, EDITOR);
  await writeArticle(page, title, "Stalls open at dusk.");
  await waitSaved(page);
  await page.locator("#f-publish-at").fill("2099-06-01T09:00");
  await page.getByRole("button", { name: "Schedule", exact: true }).click();
  await expect(page.locator(".status-line")).toContainText("Scheduled");
  const id = page.url().split("/").pop();
  // Time passes: the article comes due now, for both schedulers (each runs every 15 s).
  sql(`UPDATE articles SET published_at = extract(epoch from now())::bigint - 1 WHERE id = ${id}`);
  await expect
    .poll(async () => (await request.get("/")).text(), { timeout: 40_000, intervals: [500] })
    .toContain(title);
  // Give the later scheduler its round too, then count.
  await page.waitForTimeout(16_000);
  expect(sql(`SELECT count(*) FROM audit_log WHERE action = 'published (scheduled)' AND target LIKE '%(#${id})'`)).toBe("1");
  expect(sql(`SELECT count(*) FROM article_revisions WHERE article_id = ${id} AND status = 'published'`)).toBe("1");
  expect(sql(`SELECT status FROM articles WHERE id = ${id}`)).toBe("published");
});

test("killing server A mid-session loses no saved text, and the editor carries on through B", async ({ page }) => {
  await login(page, EDITOR);
  await writeArticle(page, `Harbour wall repairs begin ${Date.now() % 100000}`, "First paragraph, saved before the crash.");
  await waitSaved(page);
  const url = page.url();

  process.kill(Number(process.env.SERVER_A_PID), "SIGKILL");

  const body = page.getByLabel("Body", { exact: true });
  await body.press("End");
  await body.pressSequentially("\n\nSecond paragraph, typed after server A died.");
  await waitSaved(page);
  await page.getByRole("button", { name: "Save draft" }).click();
  await waitSaved(page);

  // Every request now goes to B: the session, the article and both paragraphs are there.
  for (let i = 0; i < 3; i++) {
    const res = await page.goto(url);
    expect(res!.headers()["x-upstream"]).toContain(B.replace("http://", ""));
    await expect(page.getByRole("heading", { name: "Publish" })).toBeVisible();
    await expect(page.getByLabel("Body", { exact: true })).toHaveValue(
      "First paragraph, saved before the crash.\n\nSecond paragraph, typed after server A died.",
    );
  }
});
