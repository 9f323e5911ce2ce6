import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

/**
 * E2E against the production build: global setup starts `next start` on a free port with a fresh
 * PGlite directory (and the provider emulator), tests read the URL from the environment.
 * Chromium: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own download
 * (`npx playwright install chromium` on a normal machine).
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: true,
  workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"]],
  outputDir: "test-results",
  projects: [
    { name: "app", testIgnore: ["**/multi-instance.spec.ts", "**/budgets-multi-instance.spec.ts", "**/resolution-coherence.spec.ts"] },
    // Fault tests drive load and measure latencies: they run alone, once the rest has finished.
    // (Run them by themselves with `npx playwright test --project=faults --no-deps`.)
    {
      name: "faults",
      testMatch: ["**/multi-instance.spec.ts", "**/budgets-multi-instance.spec.ts", "**/resolution-coherence.spec.ts"],
      dependencies: ["app"],
    },
  ],
  use: {
    ...devices["Desktop Chrome"],
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: existsSync(chromiumPath) ? chromiumPath : undefined,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
});
