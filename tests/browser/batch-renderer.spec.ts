import { expect, test, type Page } from '@playwright/test';
import { startOverlayHost, type OverlayHost } from './overlay-host';

/**
 * The batched Cubism 2 renderer (avatar/cubism2-batch-renderer.ts) draws the same picture as the
 * core's own renderer: the page draws the pose on screen both ways, one right after the other,
 * reads both pictures back, and they are compared pixel by pixel. Tolerance: every channel of
 * every pixel within 2 of 255 (the shader computes base colour × opacity on the GPU where the core
 * does it in JavaScript; a rounding step at most). Measured: identical.
 *
 * The batch leaves out triangles that would sample only fully transparent texels
 * (avatar/empty-triangles.ts); the comparison is made with that on, and checks it happened. The
 * fill count (avatar/fill-count.ts) then shows, fragment by fragment, that what was left out drew
 * nothing: the same fragments sampled something with and without those triangles.
 */

interface FrameStats {
  batchedMeshes: number;
  batchedDrawCalls: number;
  coreMeshes: number;
  emptyTriangles: number;
}
interface FillCount {
  emptyFragments: number;
  drawingFragments: number;
  coveredPixels: number;
}
interface Check {
  width: number;
  height: number;
  core: string;
  batched: string;
  coreFrame: FrameStats;
  batchedFrame: FrameStats;
}
interface Debug {
  modelLoaded: boolean;
  modelMouth: number;
  batchFrame: FrameStats | undefined;
  checkRenderers(): Check | undefined;
  countFill(): { everyTriangle: FillCount; shown: FillCount } | undefined;
  textureFiltering: { software: boolean; nearestMipTextures: number } | undefined;
}
// A cast rather than a global declaration: other specs declare `window.__kiyo` their own way.
const debug = <K extends keyof Debug>(page: Page, key: K) =>
  page.evaluate((k) => (window as unknown as { __kiyo: Debug }).__kiyo[k], key) as Promise<Debug[K]>;

/** The most any channel differs, pixels differing at all, and pixels the avatar covers. */
function compare(check: Check) {
  const core = Buffer.from(check.core, 'base64');
  const batched = Buffer.from(check.batched, 'base64');
  expect(core.length).toBe(check.width * check.height * 4);
  expect(batched.length).toBe(core.length);
  let maxDiff = 0;
  let differing = 0;
  let covered = 0;
  for (let p = 0; p < core.length; p += 4) {
    let pixelDiff = 0;
    for (let c = 0; c < 4; c++) pixelDiff = Math.max(pixelDiff, Math.abs(core[p + c]! - batched[p + c]!));
    if (pixelDiff > 0) differing++;
    maxDiff = Math.max(maxDiff, pixelDiff);
    if (core[p + 3]! > 0) covered++;
  }
  return { maxDiff, differing, covered, pixels: check.width * check.height };
}

/** Draws the pose on screen both ways and checks that each way really drew as it says. */
async function checkPose(page: Page) {
  const check = await page.evaluate(() => (window as unknown as { __kiyo: Debug }).__kiyo.checkRenderers());
  expect(check, 'the bundled Cubism 2 model is drawn by the batched renderer').toBeDefined();
  // The core's pass drew every mesh itself; the batch drew them all with far fewer calls.
  expect(check!.coreFrame.batchedMeshes).toBe(0);
  expect(check!.coreFrame.coreMeshes).toBeGreaterThan(50);
  expect(check!.batchedFrame.coreMeshes).toBe(0);
  expect(check!.batchedFrame.batchedMeshes).toBeGreaterThan(50);
  expect(check!.batchedFrame.batchedDrawCalls).toBeLessThan(check!.batchedFrame.batchedMeshes / 2);
  // Fully transparent triangles were left out of the batched picture (the core draws them all).
  expect(check!.batchedFrame.emptyTriangles).toBeGreaterThan(0);
  const result = compare(check!);
  // Not two empty canvases: the avatar covers a good part of the picture.
  expect(result.covered).toBeGreaterThan(result.pixels * 0.15);
  return result;
}

/** The overlay at its default window size, once the bundled model has loaded. */
async function openOverlay(page: Page) {
  await page.setViewportSize({ width: 400, height: 600 });
  await page.goto(host.url);
  await expect.poll(() => debug(page, 'modelLoaded'), { timeout: 30_000 }).toBe(true);
}

let host: OverlayHost;
test.beforeAll(async () => {
  host = await startOverlayHost({ tts: { providers: { edge: { timeoutMs: 15_000 } } } });
});
test.afterAll(async () => {
  await host.close();
});

test('the batched renderer draws what the Cubism 2 core draws, idle and speaking', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await openOverlay(page);
  // The page draws with the batch: a few dozen calls for the model's ~100 meshes.
  await expect.poll(async () => (await debug(page, 'batchFrame'))?.batchedMeshes ?? 0).toBeGreaterThan(50);

  const idle = await checkPose(page);
  expect(idle.maxDiff, `idle: ${idle.differing} pixels differ`).toBeLessThanOrEqual(2);

  // Speaking: the mouth open (the model drew it), another pose of the idle motion by now.
  void host.runner.say('hello there, this is a longer sentence so that she keeps talking for a while');
  await expect.poll(() => debug(page, 'modelMouth'), { timeout: 30_000 }).toBeGreaterThan(0.3);
  const speaking = await checkPose(page);
  expect(speaking.maxDiff, `speaking: ${speaking.differing} pixels differ`).toBeLessThanOrEqual(2);
  expect(problems).toEqual([]);
});

test('in software GL the model textures are read from the nearest mipmap level, all six of them', async ({
  page,
}) => {
  await openOverlay(page);
  // This Chromium draws WebGL with SwiftShader, and the page knows it.
  await expect.poll(async () => (await debug(page, 'textureFiltering'))?.software).toBe(true);
  // The bundled model's six 1024² textures are mipmapped by pixi; each now reads one level.
  await expect.poll(async () => (await debug(page, 'textureFiltering'))?.nearestMipTextures).toBe(6);
  // The pictures of both renderers still agree (they share the textures and so the filter).
  const check = await checkPose(page);
  expect(check.maxDiff, `${check.differing} pixels differ`).toBeLessThanOrEqual(2);
});

test('the same at another size and resolution: the avatar scaled up, drawn at half resolution', async ({
  page,
}) => {
  await openOverlay(page);
  const full = await page.evaluate(() => (window as unknown as { __kiyo: Debug }).__kiyo.checkRenderers());
  host.setOverlayState({ scale: 1.6, renderScale: 0.5 });
  try {
    await expect
      .poll(
        async () =>
          (await page.evaluate(() => (window as unknown as { __kiyo: Debug }).__kiyo.checkRenderers()))
            ?.width,
      )
      .toBe(full!.width / 2);
    const scaled = await checkPose(page);
    expect(scaled.maxDiff, `scaled: ${scaled.differing} pixels differ`).toBeLessThanOrEqual(2);
  } finally {
    host.setOverlayState({ scale: 1, renderScale: 1 });
  }
});

test('the triangles left out as transparent fill only fragments that draw nothing', async ({ page }) => {
  await openOverlay(page);
  const countFill = async () => {
    const fill = await page.evaluate(() => (window as unknown as { __kiyo: Debug }).__kiyo.countFill());
    expect(fill, 'the bundled model is batched and its fill can be counted').toBeDefined();
    return fill!;
  };
  const check = (pose: string, { everyTriangle, shown }: { everyTriangle: FillCount; shown: FillCount }) => {
    expect(everyTriangle.coveredPixels, pose).toBeGreaterThan(10_000);
    // Something was left out: far fewer fragments sampled nothing…
    expect(shown.emptyFragments, pose).toBeLessThan(everyTriangle.emptyFragments * 0.8);
    // …and every fragment that sampled something is still there, so the picture is the same.
    expect(shown.drawingFragments, pose).toBe(everyTriangle.drawingFragments);
    expect(shown.coveredPixels, pose).toBe(everyTriangle.coveredPixels);
  };
  const idle = await countFill();
  check('idle', idle);
  // Another size on screen, so other mip levels: the avatar scaled up, drawn at half resolution.
  host.setOverlayState({ scale: 1.6, renderScale: 0.5 });
  try {
    await expect
      .poll(async () => (await countFill()).everyTriangle.coveredPixels)
      .toBeLessThan(idle.everyTriangle.coveredPixels * 0.9);
    check('scaled up, half resolution', await countFill());
  } finally {
    host.setOverlayState({ scale: 1, renderScale: 1 });
  }
});
