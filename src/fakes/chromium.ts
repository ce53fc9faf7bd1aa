import { existsSync } from 'node:fs';
import { chromium as playwrightChromium } from '@playwright/test';

/**
 * The Chromium that the browser tests and the browser benchmark launch. Playwright never downloads
 * a browser here, so one is resolved in this order:
 *   1. `KIYO_CHROMIUM` (a path the user chose),
 *   2. Playwright's own installed browser (where `npx playwright install` has run),
 *   3. a system Chromium (Debian's package and the usual other names),
 *   4. the headless Chromium shipped inside the npm package `@sparticuz/chromium` (a dev
 *      dependency), unpacked on first use, so `npm install` alone is enough.
 */
export interface ResolvedChromium {
  path: string;
  /** Where it came from, for the test output. */
  source: 'KIYO_CHROMIUM' | 'playwright' | 'system' | '@sparticuz/chromium';
}

const SYSTEM_CHROMIUMS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

export async function resolveChromium(env: NodeJS.ProcessEnv = process.env): Promise<ResolvedChromium> {
  const chosen = env.KIYO_CHROMIUM;
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`KIYO_CHROMIUM=${chosen} does not exist.`);
    return { path: chosen, source: 'KIYO_CHROMIUM' };
  }
  const own = playwrightBrowser();
  if (own) return { path: own, source: 'playwright' };
  const system = SYSTEM_CHROMIUMS.find((path) => existsSync(path));
  if (system) return { path: system, source: 'system' };
  const { default: packaged } = await import('@sparticuz/chromium');
  return { path: await packaged.executablePath(), source: '@sparticuz/chromium' };
}

function playwrightBrowser(): string | undefined {
  try {
    const path = playwrightChromium.executablePath();
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined; // this Playwright has no browser of its own installed
  }
}

export const CHROMIUM_ARGS = [
  // SwiftShader renders WebGL without a GPU.
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--no-sandbox',
  // No internet here: keep Chromium from calling home.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // The overlay must speak without a click, as it does in OBS.
  '--autoplay-policy=no-user-gesture-required',
];
