import { test, expect, type Page } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";

async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
}

/** Runs axe on the page; fails on any serious or critical violation, naming them. */
async function audit(page: Page, what: string) {
  await page.waitForLoadState("networkidle");
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  expect(bad, `${what}`).toEqual([]);
}

async function articlePath(page: Page): Promise<string> {
  await page.goto("/");
  return (await page.locator(".lead-title a").getAttribute("href"))!;
}

for (const theme of ["light", "dark"] as const) {
  test(`no serious accessibility violations in the ${theme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    const article = await articlePath(page);
    for (const path of ["/", "/category/politics", article, "/search?q=harbour", "/newsletter", "/no/such/page", "/admin/login"]) {
      await page.goto(path);
      await hydrated(page);
      await audit(page, `${theme} ${path}`);
    }
    // The newsroom: dashboard and editor.
    await page.getByLabel("E-mail").fill("editor@meridian.example");
    await page.getByLabel("Password").fill("meridian-editor-demo");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("button", { name: "New article" })).toBeVisible();
    await audit(page, `${theme} dashboard`);
    await page.locator(".admin-table .title-cell a").first().click();
    await expect(page.getByRole("heading", { name: "Publish" })).toBeVisible();
    await audit(page, `${theme} editor`);
  });
}

test("search works from the keyboard alone", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  // Tab from the top of the page to the search box.
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(() => document.activeElement?.getAttribute("role") === "combobox")) break;
  }
  const box = page.getByRole("combobox", { name: "Search articles" }).first();
  await expect(box).toBeFocused();
  await page.keyboard.type("harbour", { delay: 20 });
  const first = page.getByRole("option").first();
  await expect(first).toBeVisible();
  const title = (await first.locator(".suggestion-title").textContent())!.trim();
  await page.keyboard.press("ArrowDown");
  await expect(first).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  // Escape closes an open dropdown.
  await box.focus();
  await page.keyboard.type(" ferry");
  await expect(box).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("Escape");
  await expect(box).toHaveAttribute("aria-expanded", "false");
});

test("the category filter works from the keyboard, with visible focus", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  const chip = page.getByRole("group", { name: "Filter by category" }).getByRole("link", { name: "Travel" });
  await chip.focus();
  expect(await chip.evaluate((el) => el.matches(":focus-visible"))).toBe(true);
  const outline = await chip.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe("none");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\?category=travel$/);
  await expect(chip).toHaveAttribute("aria-current", "true");
});

test("the drawer opens and closes from the keyboard", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto("/");
  await hydrated(page);
  const menu = page.getByRole("button", { name: "Menu" });
  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  const drawer = page.getByRole("dialog", { name: "Menu" });
  await expect(drawer.getByRole("button", { name: "Close" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(drawer.getByRole("combobox", { name: "Search articles" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
  await expect(menu).toBeFocused();
  await context.close();
});

test("the theme toggle offers the other theme, is remembered and applied before the first paint", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/");
  await hydrated(page);
  await expect(page.getByRole("button", { name: "Light mode" })).toHaveCount(0);
  await page.getByRole("button", { name: "Dark mode" }).click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await expect(page.getByRole("button", { name: "Light mode" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Dark mode" })).toHaveCount(0);
  // What the page looks like when the HTML has just been parsed, before any WASM runs.
  await page.addInitScript(() => {
    document.addEventListener("DOMContentLoaded", () => {
      (window as any).__atParse = {
        theme: document.documentElement.getAttribute("data-theme"),
        background: getComputedStyle(document.body).backgroundColor,
        label: (document.querySelector(".theme-toggle") as HTMLElement).innerText.trim(),
      };
    });
  });
  await page.reload();
  const atParse = await page.evaluate(() => (window as any).__atParse);
  expect(atParse.theme).toBe("dark");
  expect(atParse.background).toBe("rgb(18, 20, 23)");
  expect(atParse.label).toBe("Light mode");
  await hydrated(page);
  // And back.
  await page.getByRole("button", { name: "Light mode" }).click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  await expect(page.getByRole("button", { name: "Dark mode" })).toBeVisible();
});

test("with the phone in dark mode the toggle offers the light theme", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/");
  await expect(page.getByRole("button", { name: "Light mode" })).toBeVisible();
  await hydrated(page);
  await page.getByRole("button", { name: "Light mode" }).click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  await expect(page.getByRole("button", { name: "Dark mode" })).toBeVisible();
  await expect(page.locator("body")).toHaveCSS("background-color", "rgb(255, 255, 255)");
});

test("articles offer share links without third-party scripts, and print without the chrome", async ({ page }) => {
  const path = await articlePath(page);
  await page.goto(path);
  await hydrated(page);
  const share = page.getByRole("group", { name: "Share this article" });
  await expect(share.getByRole("link", { name: "Share by E-mail" })).toHaveAttribute("href", /^mailto:\?subject=/);
  await expect(share.getByRole("link", { name: "Share by X" })).toHaveAttribute("href", /^https:\/\/twitter\.com\/intent\/tweet\?url=https?%3A/);
  const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.src).filter((s) => s && !s.startsWith(location.origin)));
  expect(scripts).toEqual([]);
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".main-nav")).toBeHidden();
  await expect(page.locator(".sidebar")).toBeHidden();
  await expect(page.locator(".article-body").first()).toBeVisible();
});

test("after a link opens the next page, focus is on its content", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  const link = page.getByRole("navigation", { name: "Sections", exact: true }).getByRole("link", { name: "World" });
  await link.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/category\/world$/);
  await expect(page.locator("#content")).toBeFocused();
  // The next Tab goes on from there, into the page.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => !!document.activeElement?.closest("#content"))).toBe(true);
});
