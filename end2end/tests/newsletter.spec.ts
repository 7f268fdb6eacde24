// The newsletter as a reader lives it: the footer's form, the confirmation mail as the SMTP
// server received it (scripts/e2e.sh runs a real one on loopback and names its folder in
// SMTP_MAILDIR), the "Confirm" button, and the one-click unsubscribe a mail program posts.
import { test, expect } from "./fixtures";
import * as fs from "node:fs";
import * as path from "node:path";

const MAILDIR = process.env.SMTP_MAILDIR ?? "";

/** The raw mail to `to` (waiting for it), its quoted-printable lines undone. */
async function mailTo(to: string): Promise<string> {
  let found = "";
  await expect
    .poll(
      () => {
        for (const name of fs.existsSync(MAILDIR) ? fs.readdirSync(MAILDIR) : []) {
          if (!name.endsWith(".eml")) continue;
          const raw = fs.readFileSync(path.join(MAILDIR, name), "utf8");
          if (raw.startsWith(`X-Envelope-To: ${to}`)) found = raw;
        }
        return found !== "";
      },
      { message: `a mail to ${to} in ${MAILDIR}`, timeout: 10_000 },
    )
    .toBe(true);
  return found.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
}

test("sign up in the footer, confirm with the button, unsubscribe in one click", async ({ page, request, baseURL }) => {
  expect(MAILDIR, "SMTP_MAILDIR (set by scripts/e2e.sh)").not.toBe("");
  const address = `reader-${Date.now()}@example.org`;
  await page.goto("/");
  const form = page.locator("form.footer-newsletter");
  await form.getByLabel("The newsletter").fill(address);
  await form.getByRole("button", { name: "Subscribe" }).click();
  await expect(page).toHaveURL(/\/newsletter\?done=check-inbox$/);
  await expect(page.locator(".newsletter-note")).toContainText("we sent a mail with a link to confirm");

  const mail = await mailTo(address);
  expect(mail).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
  const confirm = mail.match(/\/newsletter\/confirm\?token=[A-Za-z0-9_-]+/)![0];
  const unsubscribe = mail.match(/^List-Unsubscribe: <([^>]+)>/m)![1];

  // The link opens a page; only the button confirms.
  await page.goto(confirm);
  await expect(page.getByRole("heading", { name: "Confirm your subscription" })).toBeVisible();
  await expect(page.getByText(address)).toBeVisible();
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page).toHaveURL(/\/newsletter\/manage\?token=.+&done=confirmed$/);
  await expect(page.locator(".newsletter-note")).toContainText("Confirmed");
  const manage = page.url();

  // Weekly, Tech only: saved and shown.
  const weekly = page.getByRole("radio", { name: /Weekly/ });
  const tech = page.getByRole("checkbox", { name: "Tech" });
  await weekly.check();
  await tech.check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.locator(".newsletter-note")).toHaveText("Saved.");
  await expect(weekly).toBeChecked();
  await expect(tech).toBeChecked();

  // A mail program's one-click unsubscribe (RFC 8058): a POST with no browser about it.
  const res = await request.post(unsubscribe, {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    data: "List-Unsubscribe=One-Click",
  });
  expect(res.status()).toBe(200);
  const gone = await page.goto(manage);
  expect(gone!.status()).toBe(404);
  await expect(page.getByText("This link is no longer valid")).toBeVisible();
  expect(baseURL).toBeTruthy();
});
