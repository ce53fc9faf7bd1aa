import { expect, test, type Page } from '@playwright/test';
import { parsePipelineSettings } from '../../src/shared/settings';
import type { EarState, VoiceStatus } from '../../src/shared/voice-input';
import { startOverlayHost, type OverlayHost } from './overlay-host';

/**
 * The desktop ear's listening / hearing you / thinking badge on the OBS page: shown only when
 * Preferences → Listening → "show the state on the OBS page" is on, and then only the state word.
 * Main's side is the app's own (serveRunner's StreamEarState, fed as the ear's IPC feeds it).
 */

let host: OverlayHost;
test.beforeAll(async () => {
  host = await startOverlayHost();
});
test.afterAll(async () => {
  await host.close();
});

/** A full report from the ear: its level, microphones and problem must never reach the page. */
const status = (state: EarState): VoiceStatus => ({
  state,
  level: 0.42,
  devices: [{ deviceId: 'mic-secret-id', label: 'Studio mic' }],
  problem: 'The microphone is unplugged.',
});

function showStateOnStream(on: boolean): void {
  const settings = host.conversation.currentSettings;
  host.conversation.updateSettings({ ...settings, listen: { ...settings.listen, showStateOnStream: on } });
  host.streamEar.settingsChanged(); // as main does after every settings change
}

/** Opens the OBS page, recording every text frame the server sent it. */
async function openStream(page: Page): Promise<string[]> {
  const frames: string[] = [];
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string') frames.push(payload);
    }),
  );
  await page.goto(host.url);
  // The page is up once the server's greeting (the overlay state) has reached it.
  await expect.poll(() => frames.some((f) => f.includes('"overlay-state"'))).toBe(true);
  expect(problems).toEqual([]);
  return frames;
}

const earFrames = (frames: string[]) =>
  frames.filter((f) => f.includes('"ear-state"')).map((f) => JSON.parse(f) as unknown);

/** Frames reach the page in order: once it has an overlay state sent after now, it has all before. */
async function everythingSentHasArrived(frames: string[]): Promise<void> {
  const before = frames.filter((f) => f.includes('"overlay-state"')).length;
  host.setOverlayState({ subtitles: true });
  await expect.poll(() => frames.filter((f) => f.includes('"overlay-state"')).length).toBeGreaterThan(before);
}

test.afterEach(() => {
  showStateOnStream(false);
  host.streamEar.report(status('off'));
});

test('with the option on, the OBS page shows the ear state, the word only', async ({ page }) => {
  showStateOnStream(true);
  // Before the page connects: it is told the current state as it connects.
  host.streamEar.report(status('listening'));
  const frames = await openStream(page);
  const badge = page.getByTestId('ear-state');
  await expect(badge).toHaveText('Listening');

  host.streamEar.report(status('hearing'));
  await expect(badge).toHaveText('Hearing you');
  host.streamEar.report({ ...status('hearing'), level: 0.9 }); // a level change: nothing new
  host.streamEar.report(status('thinking'));
  await expect(badge).toHaveText('Thinking');

  // The message was really sent, and nothing but the state word.
  expect(earFrames(frames)).toEqual([
    { type: 'ear-state', state: 'listening' },
    { type: 'ear-state', state: 'hearing' },
    { type: 'ear-state', state: 'thinking' },
  ]);
  expect(frames.join('\n')).not.toMatch(/0\.42|mic-secret-id|Studio mic|unplugged/);
  expect(await page.locator('body').innerText()).toBe('Thinking');

  // An unavailable microphone shows nothing on stream (its problem is the desktop's to say).
  host.streamEar.report(status('unavailable'));
  await expect(badge).toHaveCount(0);

  // Turned off while shown: the badge goes.
  host.streamEar.report(status('hearing'));
  await expect(badge).toHaveText('Hearing you');
  showStateOnStream(false);
  await expect(badge).toHaveCount(0);
});

test('with the option off, nothing is sent and nothing shown', async ({ page }) => {
  showStateOnStream(false);
  host.streamEar.report(status('listening'));
  const frames = await openStream(page);
  for (const state of ['hearing', 'thinking', 'listening'] as const) host.streamEar.report(status(state));
  await everythingSentHasArrived(frames);

  expect(parsePipelineSettings({}).listen.showStateOnStream).toBe(false); // and off is the default
  expect(earFrames(frames)).toEqual([]);
  await expect(page.getByTestId('ear-state')).toHaveCount(0);
  await expect(page.getByRole('status')).toHaveCount(0);
  expect(await page.locator('body').innerText()).toBe('');
});
