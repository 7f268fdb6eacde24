import { chromium } from "@playwright/test";
const base = "http://127.0.0.1:3100";
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
for (const [w, h, n] of [[390, 844, "phone"], [1280, 900, "desktop"]]) {
  const p = await b.newPage({ viewport: { width: w, height: h } });
  const errors = [];
  p.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await p.goto(base + "/");
  await p.waitForSelector("body[data-hydrated=true]", { timeout: 10000 });
  await p.screenshot({ path: `/tmp/home-${n}.png` });
  const a = p.locator(".latest-list .card-title a").first();
  await a.click();
  await p.waitForURL(/article/);
  await p.waitForTimeout(500);
  await p.screenshot({ path: `/tmp/article-${n}.png`, fullPage: false });
  if (n === "phone") {
    await p.getByRole("button", { name: "Menu" }).click();
    await p.waitForTimeout(300);
    await p.screenshot({ path: `/tmp/drawer-${n}.png` });
  } else {
    await p.locator("#site-search").fill("harbour");
    await p.waitForTimeout(800);
    await p.screenshot({ path: `/tmp/search-${n}.png` });
  }
  console.log(n, "errors:", errors);
}
await b.close();
