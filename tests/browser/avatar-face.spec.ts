import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { TurnRunner } from '../../src/main/pipeline/turn-runner';
import { MODEL_BLINK_MEMORY_MS } from '../../src/renderer/src/avatar/blink';
import { pcmAt } from '../../src/shared/audio-format';
import { DEFAULT_OVERLAY_STATE, type OverlayState } from '../../src/shared/ipc';
import type { PipelineEvent, WordTiming } from '../../src/shared/pipeline-events';
import { tone, TONE_RATE, useStreamServer } from './stream-server';
import { DesktopPages } from '../../src/fakes/desktop-bridge';
import { startOverlayHost } from './overlay-host';

/**
 * The avatar's face in the built overlay page, fed a turn's events straight from a browser/OBS
 * server (no pipeline): emotions applied as their segment's audio starts, the spoken word lit in
 * time with the audio clock, lip sync while idle motions play, and the desktop page's reactions.
 */

const ROOT = process.env.KIYO_RENDERER_ROOT ?? resolve('out/renderer');

interface FaceDebug {
  modelLoaded: boolean;
  mouth: number;
  modelMouth: number;
  drawnMouth: number;
  activeSources: number;
  emotions: { turnId: string; segmentIndex: number; emotion: string; at: number; expression?: string }[];
  spokenWord: string;
  spokenWordAt: number;
  subtitle: string;
  motion: string | undefined;
  expression: string | undefined;
  audioTime: number;
  framesDrawn: number;
  gaze: { x: number; y: number };
  shutEyeFrames: number;
  kiyoBlinkFrames: number;
  blinks: number;
  segmentStart(index: number): number | undefined;
}
interface TraceSample {
  t: number;
  word: string;
  /** The audio clock the word was worked out for. */
  wordAt: number;
  segment0?: number;
  segment1?: number;
  mouth: number;
  drawnMouth: number;
  motion: string | undefined;
}
interface FaceWindow {
  __kiyo: FaceDebug;
  __faceTrace: TraceSample[];
  /** Text changes inside the subtitle (what a screen reader's live region would read again). */
  __subtitleTextChanges: number;
}

let overlayState: OverlayState = { ...DEFAULT_OVERLAY_STATE };
const stream = useStreamServer({ root: ROOT, overlayState: () => overlayState });

/** Reads the page's debug hook (`read` runs in the page, so it may use nothing from here). */
const debug = <T>(page: Page, read: (kiyo: FaceDebug) => T): Promise<T> =>
  page.evaluate(`(${read.toString()})(window.__kiyo)`) as Promise<T>;

async function openOverlay(page: Page): Promise<void> {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(stream.server.url);
  await expect.poll(() => debug(page, (k) => k?.modelLoaded), { timeout: 30_000 }).toBe(true);
  expect(problems).toEqual([]);
}

/** Every animation frame: the lit word, the audio clock against each segment's start, mouth, motion. */
async function startTrace(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as FaceWindow;
    w.__faceTrace = [];
    w.__subtitleTextChanges = 0;
    new MutationObserver((records) => {
      for (const r of records) if (r.target.parentElement?.closest('.subtitle')) w.__subtitleTextChanges++;
    }).observe(document.body, { subtree: true, characterData: true });
    const step = () => {
      const k = w.__kiyo;
      w.__faceTrace.push({
        t: k.audioTime,
        word: k.spokenWord,
        wordAt: k.spokenWordAt,
        segment0: k.segmentStart(0),
        segment1: k.segmentStart(1),
        mouth: k.mouth,
        drawnMouth: k.drawnMouth,
        motion: k.motion,
      });
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
}

/** `seconds` of a steady tone: loud enough to open the mouth wide. */
const loudTone = (seconds: number) => tone(seconds, 9000);

const word = (text: string, offsetMs: number, durationMs: number): WordTiming => ({
  text,
  offsetMs,
  durationMs,
});

/** Two tagged segments, all sent at once: segment 1's text arrives ~2.4 s before its audio plays. */
const SEGMENTS = [
  {
    displayText: 'Hello there, my friend!',
    emotion: 'joy',
    seconds: 2.4,
    words: [
      word('Hello', 100, 450),
      word('there', 600, 450),
      word('my', 1100, 450),
      word('friend', 1600, 600),
    ],
  },
  {
    displayText: 'I missed you.',
    emotion: 'sad',
    seconds: 2,
    words: [word('I', 100, 450), word('missed', 600, 500), word('you', 1150, 600)],
  },
];

function publishTurn(publish: (event: PipelineEvent) => void, turnId: string): void {
  publish({ type: 'turn-start', turnId, input: 'hi', streaming: true, inputAt: Date.now() });
  SEGMENTS.forEach((s, index) => {
    publish({
      type: 'segment',
      turnId,
      index,
      displayText: s.displayText,
      spokenText: s.displayText,
      emotion: s.emotion,
    });
    publish({ type: 'words', turnId, segmentIndex: index, words: s.words });
    publish({
      type: 'audio',
      turnId,
      segmentIndex: index,
      seq: 0,
      format: pcmAt(TONE_RATE),
      data: loudTone(s.seconds),
    });
    publish({ type: 'segment-end', turnId, index });
  });
  publish({
    type: 'turn-end',
    turnId,
    reason: 'complete',
    text: '',
    spokenText: '',
    latency: { inputAt: Date.now() },
  });
}

test('a segment’s emotion shows when its audio starts, the spoken word is lit in time, and an idle motion does not freeze the mouth', async ({
  page,
}) => {
  await openOverlay(page);
  await startTrace(page);
  publishTurn((e) => stream.server.publish(e), 'face-1');

  // Both segments are scheduled, so both texts (and emotions) are in the page: segment 1's audio
  // has not started yet, and its emotion must not be on the face.
  await expect
    .poll(() => debug(page, (k) => k.segmentStart(1) !== undefined), { timeout: 15_000 })
    .toBe(true);
  const early = await debug(page, (k) => ({
    start1: k.segmentStart(1)!,
    now: k.audioTime,
    emotions: k.emotions.map((e) => e.emotion),
  }));
  expect(early.now).toBeLessThan(early.start1); // the fault condition: text here, audio not yet
  expect(early.emotions).not.toContain('sad');

  await expect.poll(() => debug(page, (k) => k.emotions.length), { timeout: 15_000 }).toBe(2);
  await expect.poll(() => debug(page, (k) => k.activeSources), { timeout: 15_000 }).toBe(0);
  const applied = await debug(page, (k) => k.emotions);
  const starts = await debug(page, (k) => [k.segmentStart(0)!, k.segmentStart(1)!]);
  expect(applied.map((e) => [e.emotion, e.segmentIndex, e.expression])).toEqual([
    ['joy', 0, 'f04'],
    ['sad', 1, 'f02'],
  ]);
  // Each applied once its own audio was playing, and before it ended.
  applied.forEach((e, i) => {
    expect(e.at).toBeGreaterThanOrEqual(starts[i]!);
    expect(e.at).toBeLessThan(starts[i]! + SEGMENTS[i]!.seconds);
  });
  // The model's face is the last emotion's expression.
  expect(await debug(page, (k) => k.expression)).toBe('f02');

  const trace = await page.evaluate(() => (window as unknown as FaceWindow).__faceTrace);
  // The lit words, in the order spoken (a slow frame on a busy machine may skip one, never go
  // back), each exactly while the audio clock is inside its time.
  const spoken = SEGMENTS.flatMap((s) => s.words.map((w) => w.text));
  const lit = trace.map((s) => s.word).filter((w, i, all) => w !== '' && w !== all[i - 1]);
  // (Frames are far apart on a loaded machine: some words of each segment, not all of them.)
  expect(
    lit.filter((w) => SEGMENTS[0]!.words.some((x) => x.text === w)).length,
    lit.join(' '),
  ).toBeGreaterThan(1);
  expect(
    lit.filter((w) => SEGMENTS[1]!.words.some((x) => x.text === w)).length,
    lit.join(' '),
  ).toBeGreaterThan(0);
  const positions = lit.map((w) => spoken.indexOf(w));
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
  expect(new Set(positions).size).toBe(positions.length);
  for (const sample of trace) {
    if (!sample.word) continue;
    const index = sample.segment1 !== undefined && sample.wordAt >= sample.segment1 ? 1 : 0;
    const start = index === 1 ? sample.segment1! : sample.segment0!;
    const elapsedMs = (sample.wordAt - start) * 1000;
    const w = SEGMENTS[index]!.words.find((x) => x.text === sample.word)!;
    const next = SEGMENTS[index]!.words[SEGMENTS[index]!.words.indexOf(w) + 1];
    expect(elapsedMs, `"${sample.word}" lit at ${elapsedMs.toFixed(0)} ms`).toBeGreaterThanOrEqual(
      w.offsetMs - 1,
    );
    expect(elapsedMs).toBeLessThanOrEqual((next ? next.offsetMs : w.offsetMs + w.durationMs) + 1);
  }

  // The highlight moves by class, word by word; the subtitle's text itself changes only with the
  // segment, so a screen reader does not read the sentence again at every word.
  const textChanges = await page.evaluate(() => (window as unknown as FaceWindow).__subtitleTextChanges);
  expect(textChanges).toBeLessThan(lit.length);

  // Idle motions played while she spoke (they write the mouth too), and the mouth followed the
  // voice regardless: the mouth the model drew with (read after motions ran) is what lip sync
  // asked for, wide open at times.
  const speaking = trace.filter((s) => s.mouth > 0.3);
  expect(speaking.length).toBeGreaterThan(10);
  expect(speaking.filter((s) => s.motion === 'idle').length).toBeGreaterThan(10);
  for (const s of speaking) expect(s.drawnMouth).toBeCloseTo(s.mouth, 5);
});

test('the stream page does not react to clicks or the pointer: the audience only watches', async ({
  page,
}) => {
  await openOverlay(page);
  const box = (await page.locator('canvas').boundingBox())!;
  await page.mouse.move(box.x + 2, box.y + box.height * 0.3);
  const frames = await debug(page, (k) => k.framesDrawn);
  // Where a click on the desktop page hits her body (the next test).
  await page.mouse.click(box.x + box.width / 2, box.y + box.height * 0.55);
  // Time for a reaction to show: a few frames (a motion file loads in far less).
  await expect.poll(() => debug(page, (k) => k.framesDrawn), { timeout: 20_000 }).toBeGreaterThan(frames + 5);
  expect(await debug(page, (k) => k.motion)).not.toBe('tap_body');
  expect(Math.abs(await debug(page, (k) => k.gaze.x))).toBeLessThan(0.05);
  // She blinks, on this page too: frames drawn with the eyes shut. The bundled model's idle motions
  // blink by themselves, so Kiyo's own blink (its cycle ran: one every 2.5–6 s) never narrowed
  // her eyes on top: no double blinks.
  await expect.poll(() => debug(page, (k) => k.shutEyeFrames), { timeout: 20_000 }).toBeGreaterThan(0);
  // Past the while a new model gets to show it blinks by itself (MODEL_BLINK_MEMORY_MS, 10 s), on
  // the page's clock (not the audio clock: the audio output rests after 10 s of silence).
  await expect
    .poll(() => page.evaluate(() => performance.now()), { timeout: 40_000 })
    .toBeGreaterThan(MODEL_BLINK_MEMORY_MS + 3000);
  expect(await debug(page, (k) => k.blinks)).toBeGreaterThan(0);
  expect(await debug(page, (k) => k.kiyoBlinkFrames)).toBe(0);
});

test('on the desktop page, clicking her body plays a reaction, and a preview from Preferences plays on her', async ({
  page,
}) => {
  const desktop = new DesktopPages({} as TurnRunner, () => overlayState);
  await desktop.attach(page);
  // Main's preview channel, as the preload would deliver it.
  await page.addInitScript(() => {
    const kiyo = (window as unknown as { kiyo: Record<string, unknown> }).kiyo;
    kiyo.onAvatarPreview = (listener: (action: unknown) => void) => {
      const handler = (e: Event) => listener((e as CustomEvent).detail);
      window.addEventListener('kiyo-avatar-preview', handler);
      return () => window.removeEventListener('kiyo-avatar-preview', handler);
    };
  });
  await openOverlay(page);
  const box = (await page.locator('canvas').boundingBox())!;
  // Her eyes and head follow the pointer to the left edge, and come back when it leaves the window.
  await page.mouse.move(box.x + 2, box.y + box.height * 0.3);
  await expect.poll(() => debug(page, (k) => k.gaze.x), { timeout: 10_000 }).toBeLessThan(-0.5);
  await page.evaluate(() =>
    document.body.dispatchEvent(new PointerEvent('pointerout', { bubbles: true, relatedTarget: null })),
  );
  await expect.poll(() => debug(page, (k) => Math.abs(k.gaze.x)), { timeout: 10_000 }).toBeLessThan(0.05);
  expect(await debug(page, (k) => k.motion)).toBe('idle');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height * 0.55);
  await expect.poll(() => debug(page, (k) => k.motion), { timeout: 10_000 }).toBe('tap_body');

  expect(await debug(page, (k) => k.expression)).not.toBe('f03');
  await page.evaluate(() =>
    window.dispatchEvent(new CustomEvent('kiyo-avatar-preview', { detail: { expression: 'f03' } })),
  );
  await expect.poll(() => debug(page, (k) => k.expression), { timeout: 10_000 }).toBe('f03');
});

test('a map saved for the model replaces the defaults on the page', async ({ page }) => {
  overlayState = { ...DEFAULT_OVERLAY_STATE, emotionMaps: { '': { joy: { expression: 'f03' } } } };
  try {
    await openOverlay(page);
    stream.server.publishOverlayState(overlayState);
    stream.server.publish({
      type: 'turn-start',
      turnId: 'face-2',
      input: 'hi',
      streaming: true,
      inputAt: Date.now(),
    });
    stream.server.publish({
      type: 'segment',
      turnId: 'face-2',
      index: 0,
      displayText: 'Yay!',
      spokenText: 'Yay!',
      emotion: 'joy',
    });
    stream.server.publish({
      type: 'audio',
      turnId: 'face-2',
      segmentIndex: 0,
      seq: 0,
      format: pcmAt(TONE_RATE),
      data: loudTone(0.8),
    });
    await expect.poll(() => debug(page, (k) => k.emotions.length), { timeout: 15_000 }).toBe(1);
    expect(await debug(page, (k) => k.emotions[0]!.expression)).toBe('f03');
    await expect.poll(() => debug(page, (k) => k.expression), { timeout: 10_000 }).toBe('f03');
  } finally {
    overlayState = { ...DEFAULT_OVERLAY_STATE };
  }
});

test('through the whole app with the fakes: a tagged reply changes the face as each tagged part is heard, and Edge words are lit', async ({
  page,
}) => {
  const host = await startOverlayHost();
  try {
    host.fakes.llm.setReplies([
      '[joy] Oh, you are back already! I missed you a whole lot, you know. [sad] But I had to wait all alone for hours and hours.',
    ]);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(host.url);
    await expect.poll(() => debug(page, (k) => k?.modelLoaded), { timeout: 30_000 }).toBe(true);
    await startTrace(page);
    void host.runner.say('hello!');
    await expect.poll(() => host.events.some((e) => e.type === 'turn-end'), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => debug(page, (k) => k.activeSources), { timeout: 30_000 }).toBe(0);
    expect(problems).toEqual([]);

    const segments = host.events.flatMap((e) => (e.type === 'segment' ? [e] : []));
    const tagged = segments.filter((s) => s.emotion);
    // The fault condition: the pipeline tagged segments (tags never in the text).
    expect(tagged.map((s) => s.emotion)).toEqual(['joy', 'sad']);
    expect(segments.every((s) => !/\[(joy|sad)\]/.test(s.displayText + s.spokenText))).toBe(true);
    const applied = await debug(page, (k) => k.emotions);
    expect(applied.map((e) => [e.emotion, e.segmentIndex, e.expression])).toEqual(
      tagged.map((s) => [s.emotion, s.index, s.emotion === 'joy' ? 'f04' : 'f02']),
    );
    expect(await debug(page, (k) => k.expression)).toBe('f02');
    // Edge's word boundaries lit words of what was said, in order within each segment.
    const trace = await page.evaluate(() => (window as unknown as FaceWindow).__faceTrace);
    const lit = trace.map((s) => s.word).filter((w, i, all) => w !== '' && w !== all[i - 1]);
    expect(lit.length).toBeGreaterThan(5);
    const said = segments.map((s) => s.displayText).join(' ');
    for (const w of lit) expect(said.toLowerCase()).toContain(w.toLowerCase());
  } finally {
    await host.close();
  }
});
