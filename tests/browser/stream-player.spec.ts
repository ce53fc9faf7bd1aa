import { expect, test, type Page } from '@playwright/test';
import { speak } from '../../src/fakes/fake-speech';
import { concatBytes } from '../../src/shared/bytes';
import { MP3, pcmAt } from '../../src/shared/audio-format';
import { FILLER_SEGMENT } from '../../src/shared/pipeline-events';
import { LOOKAHEAD_SECONDS } from '../../src/renderer/src/audio/source-window';
import { tone, TONE_RATE, useStreamServer } from './stream-server';

/**
 * The overlay's StreamPlayer (src/renderer/src/audio/stream-player.ts) in the built page, fed
 * audio events straight from a browser/OBS server, with no pipeline in between: what it schedules
 * on the AudioContext clock is recorded by wrapping AudioBufferSourceNode in the page.
 */

interface Scheduled {
  when: number;
  duration: number;
  stopped: boolean;
  /** The audio clock when start() was called: `when - at` is how far ahead it was scheduled. */
  at: number;
}
interface PlayerWindow {
  __scheduled: Scheduled[];
  /** The player's AudioContext, as the first source started on it. */
  __audio?: BaseAudioContext;
  __kiyo?: { modelLoaded: boolean; activeSources: number; scheduledSeconds: number; level: number };
}

const stream = useStreamServer();
const fromPage = stream.fromPage;

async function openPlayer(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const scheduled: Scheduled[] = [];
    (window as unknown as PlayerWindow).__scheduled = scheduled;
    const { start, stop } = AudioBufferSourceNode.prototype;
    const entries = new WeakMap<AudioBufferSourceNode, Scheduled>();
    AudioBufferSourceNode.prototype.start = function (
      this: AudioBufferSourceNode,
      when = 0,
      ...rest: number[]
    ) {
      const entry = {
        when,
        duration: this.buffer?.duration ?? 0,
        stopped: false,
        at: this.context.currentTime,
      };
      entries.set(this, entry);
      (window as unknown as PlayerWindow).__audio = this.context;
      scheduled.push(entry);
      return start.call(this, when, ...rest);
    };
    AudioBufferSourceNode.prototype.stop = function (this: AudioBufferSourceNode, when?: number) {
      const entry = entries.get(this);
      if (entry) entry.stopped = true;
      return stop.call(this, when);
    };
  });
  await stream.open(page);
}

const scheduled = (page: Page) => page.evaluate(() => (window as unknown as PlayerWindow).__scheduled);
const activeSources = (page: Page) =>
  page.evaluate(() => (window as unknown as PlayerWindow).__kiyo!.activeSources);
const scheduledSeconds = (page: Page) =>
  page.evaluate(() => (window as unknown as PlayerWindow).__kiyo!.scheduledSeconds);

const { startTurn, sendAudio, endTurn } = stream;
const finished = (turnId: string) =>
  fromPage.some((m) => m.type === 'playback-finished' && m.turnId === turnId);
/** The turn's first-sample report from the page (ms from its first chunk's arrival), once sent. */
const firstSampleMs = (turnId: string) => {
  const report = fromPage.find((m) => m.type === 'playback-started' && m.turnId === turnId);
  return report?.type === 'playback-started' ? report.afterChunkMs : undefined;
};

/** Every source starts exactly where the one before it ends: no gap, no overlap. */
function expectBackToBack(sources: Scheduled[]): void {
  for (let i = 1; i < sources.length; i++) {
    const previous = sources[i - 1]!;
    expect(sources[i]!.when, `source ${i}`).toBeCloseTo(previous.when + previous.duration, 9);
  }
}

test('PCM chunks are scheduled back to back at the rate they declare, and the first sample is reported', async ({
  page,
}) => {
  await openPlayer(page);
  const lengths = [0.5, 0.25, 0.75, 0.5, 1];
  startTurn('pcm-1');
  lengths.forEach((seconds, seq) => sendAudio('pcm-1', seq, tone(seconds), pcmAt(TONE_RATE)));

  await expect.poll(async () => (await scheduled(page)).length, { timeout: 15_000 }).toBe(lengths.length);
  const sources = await scheduled(page);
  // Each chunk plays for as long as its samples last at 24 kHz, so the rate was not assumed.
  sources.forEach((s, i) => expect(s.duration).toBeCloseTo(lengths[i]!, 6));
  expectBackToBack(sources);
  await expect.poll(() => firstSampleMs('pcm-1')).toBeDefined();
});

test('MP3 chunks, split anywhere, are decoded and scheduled back to back', async ({ page }) => {
  await openPlayer(page);
  const { frames } = await speak('Every chunk of this sentence follows the last without a gap.');
  const mp3 = concatBytes(frames);
  // Cut at arbitrary byte offsets, not frame boundaries: the decoder must carry partial frames.
  const cuts = [0, 1000, 1777, 4096, 6000, mp3.byteLength].filter(
    (c, i, a) => c <= mp3.byteLength && a.indexOf(c) === i,
  );
  startTurn('mp3-1');
  for (let i = 1; i < cuts.length; i++) sendAudio('mp3-1', i - 1, mp3.subarray(cuts[i - 1]!, cuts[i]!), MP3);

  await expect.poll(async () => (await scheduled(page)).length, { timeout: 15_000 }).toBeGreaterThan(1);
  await expect.poll(() => activeSources(page), { timeout: 30_000 }).toBe(0);
  const sources = await scheduled(page);
  expectBackToBack(sources);
  const total = sources.reduce((sum, s) => sum + s.duration, 0);
  // All of the speech was played (the decoder's start-up padding aside).
  expect(total).toBeGreaterThan((frames.length - 2) * (576 / 24_000));
});

test("stop() silences the turn at once and drops that turn's audio still in flight", async ({ page }) => {
  await openPlayer(page);
  startTurn('long-1');
  for (let seq = 0; seq < 3; seq++) sendAudio('long-1', seq, tone(3), pcmAt(TONE_RATE));
  // All three count, though only two reached Web Audio: the third (at 6 s) is beyond the
  // lookahead of the first one's end (source-window.ts) and waits in the player.
  await expect.poll(() => activeSources(page), { timeout: 15_000 }).toBe(3);
  expect(await scheduled(page)).toHaveLength(2);

  // A new turn is how the OBS page learns the old one was interrupted: the player stops.
  startTurn('next-1');
  await expect.poll(() => activeSources(page)).toBe(0);
  const afterStop = await scheduled(page);
  // The waiting chunk was dropped, never started; the two started ones were stopped.
  expect(afterStop).toHaveLength(2);
  expect(afterStop.every((s) => s.stopped)).toBe(true);
  await expect
    .poll(() => fromPage.find((m) => m.type === 'playback-stopped' && m.turnId === 'long-1'))
    .toMatchObject({ segmentsHeard: 1 });

  // The interrupted turn's audio still arriving stays silent; the new turn's plays. (Each is
  // told apart by its length: 1.5 s for the old turn, 2 s for the new one.)
  sendAudio('long-1', 3, tone(1.5), pcmAt(TONE_RATE));
  sendAudio('next-1', 0, tone(2), pcmAt(TONE_RATE));
  const lasting = (seconds: number) => (s: Scheduled) => Math.abs(s.duration - seconds) < 1e-6;
  await expect.poll(async () => (await scheduled(page)).some(lasting(2)), { timeout: 15_000 }).toBe(true);
  const sources = await scheduled(page);
  expect(sources.filter(lasting(1.5))).toEqual([]);
  expect(sources).toHaveLength(3);
  expect(sources.at(-1)!.stopped).toBe(false);
  await expect
    .poll(() => page.evaluate(() => (window as unknown as PlayerWindow).__kiyo!.level))
    .toBeGreaterThan(0);
});

test('the acknowledgement filler plays first and the reply right after it: no overlap, and it is not the first sample', async ({
  page,
}) => {
  await openPlayer(page);
  stream.server.publish({
    type: 'turn-start',
    turnId: 'filler-1',
    input: 'test',
    streaming: true,
    inputAt: Date.now(),
  });
  stream.server.publish({
    type: 'audio',
    turnId: 'filler-1',
    segmentIndex: FILLER_SEGMENT,
    seq: 0,
    format: pcmAt(TONE_RATE),
    data: tone(0.6),
  });
  stream.server.publish({
    type: 'segment',
    turnId: 'filler-1',
    index: 0,
    displayText: 'Hello.',
    spokenText: 'Hello.',
  });
  sendAudio('filler-1', 0, tone(0.5), pcmAt(TONE_RATE));

  await expect.poll(async () => (await scheduled(page)).length, { timeout: 15_000 }).toBe(2);
  const sources = await scheduled(page);
  expect(sources.map((s) => Math.round(s.duration * 1000))).toEqual([600, 500]);
  // The reply starts exactly where the filler ends.
  expectBackToBack(sources);
  // The first sample reported is the reply's: it reached the output after the filler's 0.6 s.
  await expect.poll(() => firstSampleMs('filler-1')).toBeDefined();
  expect(firstSampleMs('filler-1')).toBeGreaterThan(400);
});

test('after a long silence the output rests; the next turn wakes it before its audio, with no click', async ({
  page,
}) => {
  const rest = () =>
    page.evaluate(() => {
      const kiyo = (
        window as unknown as { __kiyo: { audioState: string; outputRest: Record<string, unknown> } }
      ).__kiyo;
      return { state: kiyo.audioState, ...kiyo.outputRest } as {
        state: string;
        resting: boolean;
        rests: number;
        wakes: number;
      };
    });
  await openPlayer(page);
  expect((await rest()).state).toBe('running');
  // Nothing plays: the output rests (REST_AFTER_MS, 10 s), and it is not taken for blocked sound.
  await expect.poll(rest, { timeout: 30_000 }).toMatchObject({ state: 'suspended', resting: true, rests: 1 });
  await expect(page.getByRole('button', { name: 'Enable sound' })).toHaveCount(0);

  // turn-start alone wakes it: resuming is over before the turn's audio arrives.
  startTurn('rest-1');
  await expect.poll(rest).toMatchObject({ state: 'running', resting: false, wakes: 1 });
  sendAudio('rest-1', 0, tone(0.5), pcmAt(TONE_RATE));
  await expect.poll(async () => (await scheduled(page)).length).toBe(1);
  await expect.poll(() => firstSampleMs('rest-1')).toBeDefined();
  // Read from a fresh output timestamp, not the one left from before the rest.
  expect(firstSampleMs('rest-1')).toBeGreaterThanOrEqual(0);
  expect(firstSampleMs('rest-1')).toBeLessThan(1000);
});

test('audio that arrives while the output is still waking is reported from the woken output clock', async ({
  page,
}) => {
  const resting = () =>
    page.evaluate(
      () => (window as unknown as { __kiyo: { outputRest: { resting: boolean } } }).__kiyo.outputRest.resting,
    );
  // An audio device that takes 300 ms to start again (real ones can take a while).
  await page.addInitScript(() => {
    const resume = AudioContext.prototype.resume;
    AudioContext.prototype.resume = function (this: AudioContext) {
      return new Promise<void>((r) => setTimeout(r, 300)).then(() => resume.call(this));
    };
  });
  await openPlayer(page);
  await expect.poll(resting, { timeout: 30_000 }).toBe(true);
  // The turn's start and its audio together: the chunk is scheduled before the output runs again.
  startTurn('rest-2');
  sendAudio('rest-2', 0, tone(0.5), pcmAt(TONE_RATE));
  await expect.poll(() => firstSampleMs('rest-2')).toBeDefined();
  const afterChunkMs = firstSampleMs('rest-2');
  // The chunk waited for the output to wake (300 ms after the turn's start): that wait is counted,
  // not the moment it was scheduled on a clock that stood still.
  expect(afterChunkMs).toBeGreaterThanOrEqual(100);
  expect(afterChunkMs).toBeLessThan(1000);
  await expect.poll(() => activeSources(page), { timeout: 15_000 }).toBe(0);
});

/** How far ahead of the audio clock any source may be started: the lookahead past the end of the chunk playing. */
const furthestAhead = (chunkSeconds: number) => LOOKAHEAD_SECONDS + chunkSeconds + 0.01;

test('a long turn gives Web Audio only the lookahead: the rest waits, and is started as earlier sources end', async ({
  page,
}) => {
  await openPlayer(page);
  const chunk = 0.25;
  const count = 80; // 20 s, delivered at once (TTS runs several times faster than real time)
  startTurn('long-2');
  for (let seq = 0; seq < count; seq++) sendAudio('long-2', seq, tone(chunk), pcmAt(TONE_RATE));

  // Once all 20 s are in (and not yet played)...
  await expect.poll(() => scheduledSeconds(page), { timeout: 15_000 }).toBeCloseTo(count * chunk, 6);
  const {
    sources: delivered,
    active,
    now,
  } = await page.evaluate(() => {
    const { __scheduled, __kiyo, __audio } = window as unknown as PlayerWindow;
    return { sources: [...__scheduled], active: __kiyo!.activeSources, now: __audio!.currentTime };
  });
  // ...only those within the lookahead were started, none further ahead of the clock...
  const unplayed = delivered.filter((s) => s.when + s.duration > now);
  expect(unplayed.length).toBeGreaterThanOrEqual(LOOKAHEAD_SECONDS / chunk - 1);
  expect(unplayed.length).toBeLessThanOrEqual(furthestAhead(chunk) / chunk + 1);
  for (const s of delivered) expect(s.when - s.at).toBeLessThanOrEqual(furthestAhead(chunk));
  // ...and the waiting ones count as the turn's (what the tests and the benchmark wait on to mean
  // silent): at least one started source still plays, besides every chunk not yet started.
  expect(active).toBeGreaterThan(count - delivered.length);

  // As sources end, the next ones are started (by `ended`, after the source they follow ended).
  await expect
    .poll(async () => (await scheduled(page)).length, { timeout: 15_000 })
    .toBeGreaterThanOrEqual(delivered.length + 4);
  const playing = await scheduled(page);
  for (let i = delivered.length; i < playing.length; i++) {
    const earlier = playing[i - delivered.length]!;
    expect(playing[i]!.at, `source ${i}`).toBeGreaterThanOrEqual(earlier.when + earlier.duration - 0.01);
    expect(playing[i]!.when - playing[i]!.at).toBeLessThanOrEqual(furthestAhead(chunk));
  }
  expectBackToBack(playing);
  expect(playing.length).toBeLessThan(count);

  // Interrupted: the started sources stop, the waiting chunks are dropped without being started.
  startTurn('next-2');
  await expect.poll(() => activeSources(page)).toBe(0);
  const afterStop = await scheduled(page);
  expect(afterStop.length).toBeLessThan(count);
  expect(afterStop.at(-1)!.stopped).toBe(true);
  // The next turn plays; none of the old turn's waiting chunks (0.25 s each) ever starts.
  sendAudio('next-2', 0, tone(0.5), pcmAt(TONE_RATE));
  await expect
    .poll(async () => (await scheduled(page)).some((s) => Math.abs(s.duration - 0.5) < 1e-6), {
      timeout: 15_000,
    })
    .toBe(true);
  expect((await scheduled(page)).filter((s) => Math.abs(s.duration - chunk) < 1e-6)).toHaveLength(
    afterStop.length,
  );
  await expect
    .poll(() => fromPage.find((m) => m.type === 'playback-stopped' && m.turnId === 'long-2'))
    .toMatchObject({ segmentsHeard: 1 });
});

test('a turn longer than the lookahead still plays back to back to its end, and is then reported finished', async ({
  page,
}) => {
  await openPlayer(page);
  const chunk = 0.25;
  const count = 14; // 3.5 s: more than the lookahead, so some of it waits
  startTurn('long-3');
  for (let seq = 0; seq < count; seq++) sendAudio('long-3', seq, tone(chunk), pcmAt(TONE_RATE));
  endTurn('long-3');
  await expect.poll(() => scheduledSeconds(page), { timeout: 15_000 }).toBeCloseTo(count * chunk, 6);
  // Some of it did wait (else this would not test the window).
  expect((await scheduled(page)).length).toBeLessThan(count);

  await expect.poll(() => finished('long-3'), { timeout: 15_000 }).toBe(true);
  expect(await activeSources(page)).toBe(0);
  const sources = await scheduled(page);
  expect(sources).toHaveLength(count);
  expectBackToBack(sources);
  for (const s of sources) expect(s.when - s.at).toBeLessThanOrEqual(furthestAhead(chunk));
});

test('a main thread blocked past the lookahead: the late chunk starts when it can and the rest follow it, no overlap', async ({
  page,
}) => {
  await openPlayer(page);
  const chunk = 0.25;
  const count = 16;
  startTurn('late-1');
  for (let seq = 0; seq < count; seq++) sendAudio('late-1', seq, tone(chunk), pcmAt(TONE_RATE));
  endTurn('late-1');
  await expect.poll(() => scheduledSeconds(page), { timeout: 15_000 }).toBeCloseTo(count * chunk, 6);
  const before = (await scheduled(page)).length;
  // Longer than all that was started lasts: the sources run out while nobody can start more.
  await page.evaluate(
    (ms) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    },
    (furthestAhead(chunk) + 0.5) * 1000,
  );

  await expect.poll(() => finished('late-1'), { timeout: 15_000 }).toBe(true);
  const sources = await scheduled(page);
  expect(sources).toHaveLength(count);
  const gaps = sources.slice(1).map((s, i) => s.when - (sources[i]!.when + sources[i]!.duration));
  // The fault happened: one gap, where the started sources ran out, shown in the times given to start().
  const late = gaps.findIndex((gap) => gap > 0.1) + 1;
  expect(late).toBeGreaterThanOrEqual(before);
  // Nothing overlaps, and from the late chunk on the rest is back to back again.
  for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(-1e-9);
  expectBackToBack(sources.slice(0, late));
  expectBackToBack(sources.slice(late));
});
