// Debian's Chromium, never a downloaded browser, with the flags this machine needs (no
// background networking: its connections are refused here).
export const chromium = {
  executablePath: "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};
