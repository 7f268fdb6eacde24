// Screenshots of the main pages at phone and desktop widths, for looking at the layout.
// Usage (server running): node tools/screenshots.mjs [baseURL] [outDir]
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
  await ctx.close();
}
await browser.close();
console.log(`screenshots in ${out}`);
