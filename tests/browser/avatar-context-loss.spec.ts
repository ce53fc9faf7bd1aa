import { expect, test, type Page } from '@playwright/test';
import { screenshotStats } from './screenshot-stats';
import { startOverlayHost, type OverlayHost } from './overlay-host';

/** A GPU reset in the middle of a stream: the overlay must come back by itself. */

interface Debug {
  modelLoaded: boolean;
  contextRestores: number;
}
const debug = <K extends keyof Debug>(page: Page, key: K) =>
  page.evaluate((k) => (window as unknown as { __kiyo: Debug }).__kiyo[k], key) as Promise<Debug[K]>;

let host: OverlayHost;
test.beforeAll(async () => {
  host = await startOverlayHost();
});
test.afterAll(async () => {
  await host.close();
});

/** Share of the page's pixels the avatar covers (a screenshot with a transparent background). */
const coveredShare = async (page: Page) => (await screenshotStats(page)).opaqueShare;

test('after a GPU reset (the WebGL context lost, then restored) the avatar is drawn again', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 400, height: 600 });
  await page.goto(host.url);
  await expect.poll(() => debug(page, 'modelLoaded'), { timeout: 30_000 }).toBe(true);
  await expect.poll(() => coveredShare(page)).toBeGreaterThan(0.05);

  await page.evaluate(() => {
    const canvas = document.querySelector('canvas')!;
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl'))!;
    const lose = gl.getExtension('WEBGL_lose_context')!;
    (window as unknown as { __lose: WEBGL_lose_context }).__lose = lose;
    lose.loseContext();
  });
  // The loss happened: the canvas shows nothing.
  await expect.poll(() => coveredShare(page)).toBeLessThan(0.001);

  await page.evaluate(() => (window as unknown as { __lose: WEBGL_lose_context }).__lose.restoreContext());
  await expect.poll(() => debug(page, 'contextRestores')).toBe(1);
  // Drawn again, with the model's textures: as much of the window covered as before.
  await expect.poll(() => coveredShare(page), { timeout: 30_000 }).toBeGreaterThan(0.05);
  expect(await debug(page, 'modelLoaded')).toBe(true);
  expect(errors).toEqual([]);
});
