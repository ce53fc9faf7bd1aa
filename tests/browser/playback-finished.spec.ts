import { expect, test, type Page } from '@playwright/test';
import { speak } from '../../src/fakes/fake-speech';
import { MP3, pcmAt } from '../../src/shared/audio-format';
import type { ClientMessage } from '../../src/shared/ws-protocol';
import { tone, TONE_RATE, useStreamServer } from './stream-server';

/**
 * The player's "finished playing" report (StreamPlayer.endTurn → playback-finished), which main
 * waits for before a chat answer may start: sent once per turn, only after its `turn-end` and
 * only when its last source has played to its end; never for a turn that was interrupted.
 */

interface Sent {
  message: ClientMessage;
  /** The player's sources still playing when the page sent it. */
  activeSources: number;
}
interface PageWindow {
  __sent: Sent[];
  __kiyo?: { modelLoaded: boolean; activeSources: number };
}

const stream = useStreamServer();
const fromPage = stream.fromPage;

async function openPlayer(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const sent: Sent[] = [];
    (window as unknown as PageWindow).__sent = sent;
    const { send } = WebSocket.prototype;
    WebSocket.prototype.send = function (this: WebSocket, data: string) {
      const activeSources = (window as unknown as PageWindow).__kiyo?.activeSources ?? -1;
      sent.push({ message: JSON.parse(data) as ClientMessage, activeSources });
      return send.call(this, data);
    };
  });
  await stream.open(page);
}

const sentBy = (page: Page) => page.evaluate(() => (window as unknown as PageWindow).__sent);
const finishedOf = (sent: Sent[], turnId: string) =>
  sent.filter((s) => s.message.type === 'playback-finished' && s.message.turnId === turnId);
const activeSources = (page: Page) =>
  page.evaluate(() => (window as unknown as PageWindow).__kiyo!.activeSources);

const { startTurn, sendAudio, endTurn } = stream;

test('a turn is reported finished once, after its end arrived and its last source played out', async ({
  page,
}) => {
  await openPlayer(page);
  startTurn('pcm-1');
  for (let seq = 0; seq < 3; seq++) sendAudio('pcm-1', seq, tone(0.75), pcmAt(TONE_RATE));
  await expect.poll(() => activeSources(page), { timeout: 15_000 }).toBeGreaterThan(0);
  // Its end arrives while it is still playing (main delivers faster than the page plays).
  endTurn('pcm-1');
  await expect.poll(async () => finishedOf(await sentBy(page), 'pcm-1').length, { timeout: 15_000 }).toBe(1);
  const [finished] = finishedOf(await sentBy(page), 'pcm-1');
  expect(finished!.activeSources).toBe(0);
  expect(fromPage.filter((m) => m.type === 'playback-finished')).toEqual([
    { type: 'playback-finished', turnId: 'pcm-1' },
  ]);
  expect(fromPage.some((m) => m.type === 'playback-stopped' && m.turnId === 'pcm-1')).toBe(false);
});

test('MP3 still being decoded when the turn ends is played before the turn is reported finished', async ({
  page,
}) => {
  await openPlayer(page);
  const { mp3 } = await speak('This sentence is decoded while its turn has already ended.');
  startTurn('mp3-1');
  for (let i = 0, seq = 0; i < mp3.length; i += 1500)
    sendAudio('mp3-1', seq++, mp3.subarray(i, i + 1500), MP3);
  endTurn('mp3-1');
  await expect.poll(async () => finishedOf(await sentBy(page), 'mp3-1').length, { timeout: 30_000 }).toBe(1);
  expect(finishedOf(await sentBy(page), 'mp3-1')[0]!.activeSources).toBe(0);
});

test('an interrupted turn is never reported finished; the turn after it is', async ({ page }) => {
  await openPlayer(page);
  startTurn('cut-1');
  sendAudio('cut-1', 0, tone(5), pcmAt(TONE_RATE));
  await expect.poll(() => activeSources(page), { timeout: 15_000 }).toBe(1);
  // The next turn starts before this one has played: the page stops it.
  startTurn('next-1');
  endTurn('cut-1'); // late, as main may still send it
  sendAudio('next-1', 0, tone(0.5), pcmAt(TONE_RATE));
  endTurn('next-1');
  await expect.poll(async () => finishedOf(await sentBy(page), 'next-1').length, { timeout: 15_000 }).toBe(1);
  const sent = await sentBy(page);
  // The fault happened: the first turn was cut while playing.
  expect(sent.some((s) => s.message.type === 'playback-stopped' && s.message.turnId === 'cut-1')).toBe(true);
  expect(finishedOf(sent, 'cut-1')).toEqual([]);
});

test('Kiyo stopped from another page: the OBS page silences a turn that already ended in main', async ({
  page,
}) => {
  await openPlayer(page);
  startTurn('obs-1');
  sendAudio('obs-1', 0, tone(6), pcmAt(TONE_RATE));
  // All of it delivered and the turn over in main, long before it has played here.
  endTurn('obs-1');
  await expect.poll(() => activeSources(page), { timeout: 15_000 }).toBe(1);
  // Escape on the desktop overlay (TurnRunner.cancel) reaches every page as stop-playback.
  stream.server.publish({ type: 'stop-playback', turnId: 'obs-1' });
  await expect.poll(() => activeSources(page), { timeout: 15_000 }).toBe(0);
  const sent = await sentBy(page);
  // It was stopped (reported with what it had played), not left to finish.
  const stopped = sent.filter((s) => s.message.type === 'playback-stopped' && s.message.turnId === 'obs-1');
  expect(stopped).toHaveLength(1);
  expect(stopped[0]!.activeSources).toBe(1);
  expect(finishedOf(sent, 'obs-1')).toEqual([]);
});
