// Screenshots of the main pages at phone and desktop widths, for looking at the layout, and of
// the newsroom (logged in as NEWSROOM_EMAIL / NEWSROOM_PASSWORD, the demo admin by default).
// Usage (server running on a demo database): node tools/screenshots.mjs [baseURL] [outDir]
import { chromium } from "@playwright/test";
import { mkdirSync } from "node:fs";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const out = process.argv[3] ?? "../target/screenshots";
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const home = await browser.newPage();
await home.goto(base + "/");
const articleHref = await home.locator(".lead-title a").getAttribute("href");
await home.close();

const pages = {
  home: "/",
  category: "/category/politics",
  article: articleHref,
  search: "/search?q=harbour",
  notfound: "/no/such/page",
};
const widths = { phone: { width: 390, height: 844 }, desktop: { width: 1366, height: 900 } };
for (const [wname, viewport] of Object.entries(widths)) {
  const ctx = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  for (const [pname, path] of Object.entries(pages)) {
    await page.goto(base + path, { waitUntil: "networkidle" });
    await page.screenshot({ path: `${out}/${pname}-${wname}.png`, fullPage: process.env.FULL === "1" });
  }
  // The newsroom: the login page, then the dashboard, an article in the editor, the users.
  await page.goto(base + "/admin/login", { waitUntil: "networkidle" });
  await page.screenshot({ path: `${out}/admin-login-${wname}.png` });
  await page.getByLabel("E-mail").fill(process.env.NEWSROOM_EMAIL ?? "admin@meridian.example");
  await page.getByLabel("Password").fill(process.env.NEWSROOM_PASSWORD ?? "meridian-admin-demo");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(/\/admin$/);
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `${out}/admin-dashboard-${wname}.png`, fullPage: process.env.FULL === "1" });
  await page.locator(".title-cell a").first().click();
  await page.getByRole("heading", { name: "Publish" }).waitFor();
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `${out}/admin-editor-${wname}.png`, fullPage: process.env.FULL === "1" });
  await page.goto(base + "/admin/users", { waitUntil: "networkidle" });
  await page.screenshot({ path: `${out}/admin-users-${wname}.png`, fullPage: process.env.FULL === "1" });
  await page.goto(base + "/admin/account", { waitUntil: "networkidle" });
  await page.screenshot({ path: `${out}/admin-account-${wname}.png`, fullPage: process.env.FULL === "1" });
  await page.goto(base + "/admin/import", { waitUntil: "networkidle" });
  await page.screenshot({ path: `${out}/admin-import-${wname}.png`, fullPage: true });
  await ctx.close();
}
await browser.close();
console.log(`screenshots in ${out}`);
