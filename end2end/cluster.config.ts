import { defineConfig, devices } from "@playwright/test";
import { chromium } from "./chromium";

// The cluster test (scripts/cluster.sh starts two servers and nginx, then runs this):
// Debian's Chromium against nginx, or one server directly where a test says so.
export default defineConfig({
  testDir: "./cluster",
  timeout: 90_000,
  expect: { timeout: 8_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: process.env.CLUSTER_URL,
    trace: "off",
  },
  projects: [
    {
      name: "cluster",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: chromium,
      },
    },
  ],
});
