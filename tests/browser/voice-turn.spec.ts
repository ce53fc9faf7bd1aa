import { expect, test } from '@playwright/test';
import { durationMs } from '../../src/fakes/utterance-wav';
import { countMicrophoneAsks, ear, micAsks, startVoiceHost, type VoiceHost } from './voice-host';
import type { KiyoPage } from './voice-host';

const HELLO = 'Hello Kiyo, what is your favourite colour?';
const REPLY = 'Blue, like the sky on a clear morning.';
const LEAD_MS = 2500;
let host: VoiceHost;
let hello: Int16Array;
test.beforeAll(async () => {
  host = await startVoiceHost();
  hello = await host.stt.register(HELLO);
});
test.afterEach(async () => {
  await host.closeEars();
});
test.afterAll(async () => {
  await host?.close();
});

test('a spoken utterance is transcribed, shown as the user line, and answered aloud', async () => {
  host.fakes.llm.setReplies([REPLY]);
  const { page } = await host.openEar([{ silenceMs: LEAD_MS }, { speech: hello }, { silenceMs: 30_000 }]);
  await expect(page.getByTestId('ear-state')).toHaveText(/Listening|Hearing you/, { timeout: 30_000 });

  await expect.poll(() => host.desktop.utterances.length, { timeout: 30_000 }).toBe(1);
  const [utterance] = host.desktop.utterances;
  // Sent after the end-of-speech hangover, measured from the last voiced frame.
  expect(utterance!.sinceSpeechEndMs).toBeGreaterThanOrEqual(500);
  // The detector's speech is the sentence (give or take its soft edges), and the WAV holds more:
  // the pre-roll before it (≥ 300 ms) and a short tail.
  const speechMs = durationMs(hello);
  expect(utterance!.speechMs).toBeGreaterThan(speechMs * 0.6);
  expect(utterance!.speechMs).toBeLessThan(speechMs * 1.3);
  const wavMs = ((utterance!.wav.byteLength - 44) / 2 / 16_000) * 1000;
  expect(wavMs).toBeGreaterThanOrEqual(utterance!.speechMs + 300);
  expect(host.desktop.refusedUtterances).toEqual([]);
  // Its way out, stamped on the page's clock: captured, in the detector's worker, scored, back on
  // the main thread, for the last voiced frame and for the frame that ended the hangover (which
  // was decided on the capture clock, the hangover after the last voiced frame). The worker's
  // stamps are put on the page's clock (to within its 0.1 ms resolution): the first frame cannot
  // reach the worker before the page handed it the microphone.
  const debug = (await ear(page))!;
  expect(debug.firstArrivedAt + 0.2).toBeGreaterThanOrEqual(debug.listenedAt);
  const { steps } = debug.sent[0]!;
  expect(steps).toBeDefined();
  const s = steps!;
  for (const frame of ['lastVoiced', 'endFrame']) {
    const [captured, arrived, scored, onMain] = ['CapturedAt', 'ArrivedAt', 'ScoredAt', 'OnMainAt'].map(
      (step) => s[frame + step]!,
    );
    expect(arrived).toBeGreaterThanOrEqual(captured!);
    expect(scored).toBeGreaterThanOrEqual(arrived!);
    expect(onMain! + 0.2).toBeGreaterThanOrEqual(scored!);
  }
  expect(s.endFrameCapturedAt! - s.lastVoicedCapturedAt!).toBeGreaterThanOrEqual(500);
  expect(s.lastVoicedCapturedAt! + utterance!.sinceSpeechEndMs).toBeCloseTo(s.sentAt!, 6);

  await expect.poll(() => host.voiceTurns().length, { timeout: 10_000 }).toBe(1);
  const [turnId] = host.voiceTurns();
  await expect
    .poll(() => host.turnEvents(turnId!).find((e) => e.type === 'transcript'), { timeout: 15_000 })
    .toMatchObject({ text: HELLO });
  // The user's line on the desktop overlay, then Kiyo's reply is heard.
  await expect(page.getByTestId('ear-heard')).toHaveText(`You: ${HELLO}`, { timeout: 15_000 });
  await expect
    .poll(
      () => page.evaluate(() => (window as unknown as KiyoPage).__kiyo.firstSamples.map((s) => s.turnId)),
      { timeout: 30_000 },
    )
    .toContain(turnId);
  await expect
    .poll(() => host.turnEvents(turnId!).find((e) => e.type === 'turn-end'), { timeout: 30_000 })
    .toMatchObject({ reason: 'complete', text: REPLY });
  // The LLM was asked with the transcript as the user's words.
  expect(host.fakes.llm.requests.at(-1)!.messages.at(-1)).toEqual({ role: 'user', content: HELLO });
  // Preferences' level meter got the ear's state, a level and the microphones.
  const statuses = host.desktop.voiceStatuses;
  expect(statuses.some((s) => s.state === 'hearing' && s.level > 0.01)).toBe(true);
  expect(statuses.at(-1)!.devices.length).toBeGreaterThan(0);
  // Once is once: the sentence was not sent twice.
  expect(host.desktop.utterances).toHaveLength(1);
});

test('the OBS page never touches the microphone and shows no ear state', async () => {
  const { browser } = await host.openEar([{ silenceMs: 500 }, { speech: hello }, { silenceMs: 5000 }], {
    mode: 'muted',
  });
  const page = await browser.newPage();
  await countMicrophoneAsks(page);
  await page.goto(host.url);
  await expect
    .poll(() => page.evaluate(() => (window as unknown as KiyoPage).__kiyo?.modelLoaded), { timeout: 30_000 })
    .toBe(true);
  expect(await micAsks(page)).toBe(0);
  expect(await ear(page)).toBeUndefined();
  await expect(page.getByTestId('ear-state')).toHaveCount(0);
});

test('muted: the microphone stays closed until a listening mode is chosen', async () => {
  const statuses = host.desktop.voiceStatuses.length;
  const { page } = await host.openEar([{ silenceMs: 300 }, { speech: hello }, { silenceMs: 20_000 }], {
    mode: 'muted',
  });
  // The ear has started (it reported itself 'off') and has not asked for the microphone.
  await expect
    .poll(() => host.desktop.voiceStatuses.slice(statuses).some((s) => s.state === 'off'), {
      timeout: 30_000,
    })
    .toBe(true);
  expect(await micAsks(page)).toBe(0);
  expect((await ear(page))!.frames).toBe(0);
  await expect(page.getByTestId('ear-state')).toHaveCount(0);
  // The same page listens as soon as main says so: the check above would have seen a live microphone.
  host.setListen({ mode: 'hands-free' });
  await expect.poll(async () => (await ear(page))!.frames, { timeout: 30_000 }).toBeGreaterThan(0);
  expect(await micAsks(page)).toBe(1);
  host.setListen({ mode: 'muted' });
  await expect.poll(() => host.desktop.voiceStatuses.at(-1)?.state, { timeout: 10_000 }).toBe('off');
});

test('the audio output does not rest while the microphone is open, and rests once it is closed', async () => {
  // Suspending the player's output while listening made the capture drop whole seconds of audio.
  const { page } = await host.openEar([{ silenceMs: 30_000 }], { mode: 'hands-free' });
  const rest = () =>
    page.evaluate(
      () =>
        (window as unknown as { __kiyo: { outputRest: { resting: boolean; rests: number } } }).__kiyo
          .outputRest,
    );
  await expect.poll(async () => (await ear(page))?.frames ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
  // Longer than the silence after which the output rests (10 s), counted in captured frames.
  await expect.poll(async () => (await ear(page))!.frames, { timeout: 60_000 }).toBeGreaterThan(12_000 / 32);
  expect(await rest()).toMatchObject({ resting: false, rests: 0 });
  host.setListen({ mode: 'muted' });
  await expect.poll(rest, { timeout: 30_000 }).toMatchObject({ resting: true, rests: 1 });
});
