import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

import { CHROMIUM_ARGS, CHROMIUM_PATH } from './src/fakes/chromium';

if (!existsSync(CHROMIUM_PATH)) {
  throw new Error(
    `Browser tests need Debian's Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium), or KIYO_CHROMIUM=/path.`,
  );
}

export default defineConfig({
  testDir: 'tests',
  testMatch: ['browser/**/*.spec.ts', 'electron/**/*.e2e.ts'],
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    headless: true,
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
});
