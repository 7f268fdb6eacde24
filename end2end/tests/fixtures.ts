// Every test runs with a watch on the browser's console: a Content-Security-Policy violation
// (an inline script without the page's nonce, a foreign image, a blocked connection) fails
// the test that caused it.
import { test as base, expect } from "@playwright/test";

export * from "@playwright/test";

export const test = base.extend<{ cspWatch: void }>({
  cspWatch: [
    async ({ context }, use) => {
      const violations: string[] = [];
      context.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await use();
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});
