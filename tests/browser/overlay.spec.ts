import { cpSync, mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startOverlayHost, type OverlayHost } from './overlay-host';
import { screenshotStats } from './screenshot-stats';

let host: OverlayHost;
test.beforeAll(async () => {
  host = await startOverlayHost();
});
test.afterAll(async () => {
  await host.close();
});

interface KiyoDebug {
  modelLoaded: boolean;
  mouth: number;
  modelMouth: number;
  level: number;
  activeSources: number;
  subtitle: string;
  audioState: string;
  firstSamples: { turnId: string; afterChunkMs: number }[];
  framesDrawn: number;
}
declare global {
  interface Window {
    __kiyo: KiyoDebug;
    __trace?: { mouth: number[]; modelMouth: number[]; subtitles: string[]; sources: number[] };
  }
}

/** `stream`: the OBS/browser page as served; `desktop`: the same page with Electron's bridge. */
async function openOverlay(page: Page, kind: 'stream' | 'desktop' = 'stream'): Promise<void> {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  if (kind === 'desktop') await host.attachDesktop(page);
  await page.goto(host.url);
  await expect.poll(() => page.evaluate(() => window.__kiyo?.modelLoaded), { timeout: 30_000 }).toBe(true);
  expect(problems).toEqual([]);
}

/** Records mouth, subtitles and scheduled sources every animation frame, in the page. */
async function startTrace(page: Page): Promise<void> {
  await page.evaluate(() => {
    const trace = {
      mouth: [] as number[],
      modelMouth: [] as number[],
      subtitles: [] as string[],
      sources: [] as number[],
    };
    window.__trace = trace;
    const step = () => {
      trace.mouth.push(window.__kiyo.mouth);
      trace.modelMouth.push(window.__kiyo.modelMouth);
      trace.sources.push(window.__kiyo.activeSources);
      const s = window.__kiyo.subtitle;
      if (s && trace.subtitles.at(-1) !== s) trace.subtitles.push(s);
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
}

async function say(page: Page, text: string): Promise<void> {
  const input = page.getByLabel('Say something to Kiyo');
  await input.fill(text);
  await input.press('Enter');
}

function turnEnded(turnCount: number) {
  return () => host.events.filter((e) => e.type === 'turn-end').length >= turnCount;
}

test('the avatar renders on a transparent background', async ({ page }) => {
  await openOverlay(page);
  // A few frames after the model is in place, so the screenshot shows it drawn, not a blank canvas.
  const drawn = await page.evaluate(() => window.__kiyo.framesDrawn);
  await expect.poll(() => page.evaluate(() => window.__kiyo.framesDrawn)).toBeGreaterThan(drawn + 3);
  const stats = await screenshotStats(page);
  // The model covers a good part of the window, in many colours, and the rest is see-through.
  expect(stats.opaqueShare).toBeGreaterThan(0.05);
  expect(stats.opaqueShare).toBeLessThan(0.9);
  expect(stats.colours).toBeGreaterThan(50);
  expect(stats.corners).toEqual([0, 0]);
});

test('a turn plays its audio in order, moves the mouth while speaking and rests after', async ({ page }) => {
  host.fakes.llm.setReplies([
    'Oh, you are back already! I missed you a whole lot, you know. Let us play a game together later tonight.',
  ]);
  await openOverlay(page);
  expect(await page.evaluate(() => window.__kiyo.audioState)).toBe('running');
  await startTrace(page);
  const before = host.events.filter((e) => e.type === 'turn-end').length;
  // The OBS page has no input: the turn starts where the user typed it, in the desktop overlay.
  void host.runner.say('hello!');
  await expect.poll(turnEnded(before + 1), { timeout: 30_000 }).toBe(true);
  await expect.poll(() => page.evaluate(() => window.__kiyo.activeSources), { timeout: 30_000 }).toBe(0);
  // The mouth comes to rest on the avatar's own frame clock (capped, slower on a busy machine).
  const lastFrames = () =>
    page.evaluate(() => [...window.__trace!.mouth.slice(-5), ...window.__trace!.modelMouth.slice(-5)]);
  await expect.poll(lastFrames, { timeout: 10_000 }).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

  const trace = await page.evaluate(() => window.__trace!);
  const turnId = host.events.findLast((e) => e.type === 'turn-end')!.turnId;
  const segments = host.events.filter((e) => e.type === 'segment' && e.turnId === turnId);
  expect(host.events.filter((e) => e.type === 'error' && e.turnId === turnId)).toEqual([]);
  // Subtitles follow the segments, in order, as each one is heard.
  expect(trace.subtitles).toEqual(segments.map((s) => (s.type === 'segment' ? s.displayText : '')));
  // The model's mouth opened while speech played, and is closed now.
  expect(Math.max(...trace.modelMouth)).toBeGreaterThan(0.3);
  expect(trace.modelMouth.filter((m) => m > 0.05).length).toBeGreaterThan(10);
  expect(trace.mouth.slice(-5)).toEqual([0, 0, 0, 0, 0]);
  expect(trace.modelMouth.slice(-5)).toEqual([0, 0, 0, 0, 0]);
  expect(await page.evaluate(() => window.__kiyo.level)).toBe(0);
  // The first sample was reported back to the app.
  const firstSamples = await page.evaluate(() => window.__kiyo.firstSamples);
  expect(firstSamples.map((r) => r.turnId)).toContain(turnId);
  await expect.poll(() => host.logs.some((l) => l.includes(`${turnId}: first sample played`))).toBe(true);
});

test('interrupting stops the audio and the mouth at once, and the next turn plays', async ({ page }) => {
  host.fakes.llm.setReplies([
    'This is a long story, so get comfortable. Once upon a time there was a streamer who talked and talked and talked, and nobody could stop her, not even the moderators, not even the cat.',
    'Okay, okay, I will stop talking now!',
  ]);
  await openOverlay(page, 'desktop');
  // A slowly written story, so the app is still producing it when Escape comes (the desktop bridge
  // of these tests is slower than IPC, and the fake voice may deliver a clause all at once).
  const speed = host.fakes.llm.options.tokensPerSecond;
  host.fakes.llm.options.tokensPerSecond = 4;
  const before = host.events.filter((e) => e.type === 'turn-end').length;
  await say(page, 'tell me a story');
  await expect
    .poll(() => page.evaluate(() => window.__kiyo.level), { timeout: 30_000 })
    .toBeGreaterThan(0.01);

  const afterEscape = await page.evaluate(async () => {
    document
      .querySelector('input')!
      .dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    const immediately = window.__kiyo.activeSources;
    // One animation frame is many audio render quanta: the output must already be silent.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return { immediately, level: window.__kiyo.level, mouth: window.__kiyo.mouth };
  });
  expect(afterEscape).toEqual({ immediately: 0, level: 0, mouth: 0 });
  await expect.poll(turnEnded(before + 1)).toBe(true);
  expect(host.events.findLast((e) => e.type === 'turn-end')).toMatchObject({ reason: 'cancelled' });
  // Remembered as what was heard: the start of the story, not all of it.
  const story = host.fakes.llm.replyAt(0);
  const remembered = () => host.conversation.history.snapshot().at(-1)?.content ?? '';
  await expect.poll(() => remembered().length).toBeGreaterThan(0);
  expect(story.startsWith(remembered().slice(0, 20))).toBe(true);
  expect(remembered().length).toBeLessThan(story.length);

  host.fakes.llm.options.tokensPerSecond = speed;
  await say(page, 'stop please');
  await expect.poll(turnEnded(before + 2), { timeout: 30_000 }).toBe(true);
  expect(host.events.findLast((e) => e.type === 'turn-end')).toMatchObject({ reason: 'complete' });
  await expect.poll(() => page.evaluate(() => window.__kiyo.firstSamples.length)).toBeGreaterThanOrEqual(2);
});

test('errors reach the desktop overlay in short plain words; the detail stays in main', async ({ page }) => {
  await openOverlay(page, 'desktop');
  host.fakes.llm.faults.push('http-401');
  await say(page, 'hi');
  await expect(page.getByRole('alert')).toHaveText(
    'The language model refused the API key — check Preferences → LLM.',
  );
  // The fault happened as a 401, and its technical detail went to the log and the problem list.
  const error = host.events.findLast((e) => e.type === 'error');
  expect(error).toMatchObject({ code: 'llm-auth', message: expect.stringContaining('HTTP 401') });
  expect(host.problems.list()[0]?.detail).toContain('HTTP 401');
  expect(host.logs.some((l) => l.includes('HTTP 401'))).toBe(true);
  expect(await page.locator('body').innerText()).not.toContain('401');
});

test('a reply with nothing to say aloud is told on the desktop, not kept silent', async ({ page }) => {
  host.fakes.llm.setReplies(['🎉✨💖 *waves*']);
  await openOverlay(page, 'desktop');
  const before = host.events.filter((e) => e.type === 'turn-end').length;
  await say(page, 'show me an emoji');
  await expect.poll(turnEnded(before + 1), { timeout: 30_000 }).toBe(true);
  // The fault: a complete reply, with text, but no segment and no audio.
  const turnId = host.events.findLast((e) => e.type === 'turn-end')!.turnId;
  const turn = host.events.filter((e) => e.turnId === turnId);
  expect(turn.at(-1)).toMatchObject({ reason: 'complete', text: '🎉✨💖 *waves*' });
  expect(turn.filter((e) => e.type === 'segment' || e.type === 'audio')).toEqual([]);
  await expect(page.getByTestId('notice')).toHaveText("Kiyo's reply had nothing to say aloud.");
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('an input over the length limit is kept whole, not sent, and says why', async ({ page }) => {
  await openOverlay(page, 'desktop');
  const input = page.getByLabel('Say something to Kiyo');
  const long = 'la '.repeat(1500).trim(); // 4,499 characters
  const before = host.events.filter((e) => e.type === 'turn-start').length;
  // As a paste: the whole text lands in the field at once.
  await input.focus();
  await page.keyboard.insertText(long);
  await expect(input).toHaveValue(long);
  await expect(page.getByRole('alert')).toHaveText(
    'Too long to send: 4,499 characters, and Kiyo reads at most 4,000. Shorten it by 499.',
  );
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await input.press('Enter');
  await expect(input).toHaveValue(long);
  expect(host.events.filter((e) => e.type === 'turn-start').length).toBe(before);
  // Close to the limit a counter shows; at the limit it is sent.
  await input.fill('a'.repeat(4000));
  await expect(page.getByTestId('chat-count')).toHaveText('4,000 / 4,000');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await input.press('Enter');
  await expect.poll(() => host.events.filter((e) => e.type === 'turn-start').length).toBe(before + 1);
  await expect(input).toHaveValue('');
  await host.runner.cancel();
});

test('a model from a folder the user chose replaces the default avatar', async ({ page, request }) => {
  const folder = mkdtempSync(join(tmpdir(), 'kiyo-user-model-'));
  cpSync(resolve('out/renderer/models/shizuku'), folder, { recursive: true });
  renameSync(join(folder, 'shizuku.model.json'), join(folder, 'my avatar.model.json'));
  await openOverlay(page);
  host.setOverlayState({ modelFolder: folder, modelEntry: 'my avatar.model.json' });
  await expect
    .poll(() => page.evaluate(() => (window.__kiyo as unknown as { shownModelUrl: string }).shownModelUrl), {
      timeout: 30_000,
    })
    .toBe('custom-model/my%20avatar.model.json');
  await expect(page.getByRole('alert')).toHaveCount(0);
  const base = `http://127.0.0.1:${host.server.port}/${host.server.token}/custom-model`;
  expect((await request.get(`${base}/moc/shizuku.moc`)).status()).toBe(200);
  expect((await request.get(`${base}/..%2F..%2Fpackage.json`)).status()).toBe(404);
  host.setOverlayState({ modelFolder: '', modelEntry: '' });
  expect((await request.get(`${base}/moc/shizuku.moc`)).status()).toBe(404);
});

test('nothing is served without the token', async ({ request }) => {
  const base = `http://127.0.0.1:${host.server.port}`;
  expect((await request.get(`${base}/index.html`)).status()).toBe(404);
  expect((await request.get(`${base}/wrong-token/index.html`)).status()).toBe(404);
  expect((await request.get(`${base}/${host.server.token}/../package.json`)).status()).toBe(404);
  expect((await request.get(host.url)).status()).toBe(200);
});
