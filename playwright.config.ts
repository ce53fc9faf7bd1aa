import { defineConfig } from '@playwright/test';

import { CHROMIUM_ARGS, resolveChromium } from './src/fakes/chromium';

// Resolved once here, so every worker launches the same browser; printed so a run says what it used.
const browser = await resolveChromium();
console.log(`Browser tests run in ${browser.path} (from ${browser.source}).`);

export default defineConfig({
  testDir: 'tests',
  testMatch: ['browser/**/*.spec.ts', 'electron/**/*.e2e.ts'],
  timeout: 60_000,
  workers: 1,
  reporter: [['list'], ['./tests/helpers/skip-reasons-reporter.ts']],
  use: {
    headless: true,
    launchOptions: {
      executablePath: browser.path,
      args: CHROMIUM_ARGS,
    },
  },
});
