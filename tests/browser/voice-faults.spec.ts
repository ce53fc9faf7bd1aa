import { expect, test } from '@playwright/test';
import type { TranscriptionFault } from '../../src/fakes/fake-openai-transcription-server';
import type { ErrorCode } from '../../src/shared/pipeline-events';
import { ERROR_MESSAGES } from '../../src/shared/plain-messages';
import { MIC_MESSAGES } from '../../src/renderer/src/voice/mic-messages';
import { durationMs } from '../../src/fakes/utterance-wav';
import { ear, micAsks, startVoiceHost, type VoiceHost } from './voice-host';
import type { KiyoPage } from './voice-host';

const HELLO = 'Hello Kiyo, what is your favourite colour?';
const REPLY = 'Blue, like the sky on a clear morning.';
let host: VoiceHost;
let hello: Int16Array;
test.beforeAll(async () => {
  host = await startVoiceHost();
  hello = await host.stt.register(HELLO);
});
test.beforeEach(() => {
  host.fakes.llm.setReplies([REPLY, REPLY, REPLY]);
  host.stt.faults.length = 0;
});
test.afterEach(async () => host.closeEars());
test.afterAll(async () => host?.close());

/** ms of microphone the ear has processed (its frames are 32 ms). */
const heardMs = async (page: import('@playwright/test').Page) => ((await ear(page))?.frames ?? 0) * 32;

test('push-to-talk: nothing is sent while the key is up; holding it sends what was said', async () => {
  const lead = 1000;
  const loop = lead + durationMs(hello) + 5000;
  const { page } = await host.openEar([{ silenceMs: lead }, { speech: hello }, { silenceMs: 5000 }], {
    mode: 'push-to-talk',
  });
  const sent = host.desktop.utterances.length;
  // The sentence played into the microphone, and the detector heard it as speech...
  await expect.poll(() => heardMs(page), { timeout: 60_000 }).toBeGreaterThan(lead + durationMs(hello) + 800);
  expect((await ear(page))!.maxProbability).toBeGreaterThan(0.9);
  // ...with the key up: nothing sent, no state shown.
  expect(host.desktop.utterances).toHaveLength(sent);
  await expect(page.getByTestId('ear-state')).toHaveCount(0);

  // Key down before the file says it again (it loops), up after.
  host.desktop.publishPushToTalk(true);
  await expect(page.getByTestId('ear-state')).toBeVisible();
  await expect
    .poll(() => heardMs(page), { timeout: 60_000 })
    .toBeGreaterThan(loop + lead + durationMs(hello) + 600);
  expect(host.desktop.utterances).toHaveLength(sent);
  host.desktop.publishPushToTalk(false);
  await expect.poll(() => host.desktop.utterances.length, { timeout: 10_000 }).toBe(sent + 1);
  const turnId = await expect
    .poll(() => host.voiceTurns().length, { timeout: 10_000 })
    .toBeGreaterThan(0)
    .then(() => host.voiceTurns().at(-1)!);
  await expect
    .poll(() => host.turnEvents(turnId).find((e) => e.type === 'transcript'), { timeout: 15_000 })
    .toMatchObject({ text: HELLO });
});

const FAULTS: [TranscriptionFault, ErrorCode][] = [
  ['http-401', 'stt-auth'],
  ['http-429', 'stt-rate-limit'],
  ['http-500', 'stt-server'],
  ['timeout', 'stt-timeout'],
  ['empty', 'stt-empty'],
];

for (const [fault, code] of FAULTS) {
  test(`transcription fault ${fault}: a plain message, Retry sends the utterance again, the app keeps working`, async () => {
    host.stt.faults.push(fault);
    const fired = host.stt.faultsFired.length;
    const { page } = await host.openEar([{ silenceMs: 1500 }, { speech: hello }, { silenceMs: 60_000 }]);
    await expect
      .poll(() => host.voiceTurns().length > 0 && host.stt.faultsFired.length, { timeout: 60_000 })
      .toBe(fired + 1);
    // The fault happened, and the voice turn failed with its code.
    expect(host.stt.faultsFired.at(-1)).toBe(fault);
    const failed = host.voiceTurns().at(-1)!;
    await expect
      .poll(() => host.turnEvents(failed).find((e) => e.type === 'error'), { timeout: 15_000 })
      .toMatchObject({ code });
    // A plain sentence on the overlay, and Retry.
    await expect(page.getByRole('alert').filter({ hasText: ERROR_MESSAGES[code] })).toBeVisible();
    await expect(page.getByTestId('ear-state')).toHaveText('Listening');
    const voiceTurns = host.voiceTurns().length;
    await page.getByTestId('ear-retry').click();
    await expect.poll(() => host.desktop.retries).toBeGreaterThan(0);
    await expect.poll(() => host.voiceTurns().length, { timeout: 15_000 }).toBe(voiceTurns + 1);
    const retried = host.voiceTurns().at(-1)!;
    // The retry's outcome, transcript or error: a failure then says which, and why it may be.
    const outcome = () => host.turnEvents(retried).find((e) => e.type === 'transcript' || e.type === 'error');
    await expect.poll(outcome, { timeout: 15_000 }).toBeDefined();
    expect(
      outcome(),
      `the fake transcribed the last two uploads as ${JSON.stringify(host.stt.requests.slice(-2).map((r) => r.transcript))}; ` +
        `the page's capture lost ${(await ear(page))?.captureLostMs ?? '?'} ms of microphone audio`,
    ).toMatchObject({ type: 'transcript', text: HELLO });
    await expect
      .poll(
        () => page.evaluate(() => (window as unknown as KiyoPage).__kiyo.firstSamples.map((s) => s.turnId)),
        { timeout: 30_000 },
      )
      .toContain(retried);
    await expect(page.getByTestId('ear-retry')).toHaveCount(0);
    // Typing still works too.
    const typed = host.events.filter(
      (e) => e.type === 'turn-start' && e.input === 'And now in writing?',
    ).length;
    const input = page.getByLabel('Say something to Kiyo');
    await input.fill('And now in writing?');
    await input.press('Enter');
    await expect
      .poll(
        () => host.events.filter((e) => e.type === 'turn-start' && e.input === 'And now in writing?').length,
        {
          timeout: 15_000,
        },
      )
      .toBe(typed + 1);
    host.desktop.retries = 0;
  });
}

test('microphone denied: a plain message, nothing sent, typing still works', async () => {
  const { page } = await host.openEar('denied');
  // The fault: the page asked for the microphone and was refused.
  await expect.poll(() => micAsks(page), { timeout: 30_000 }).toBeGreaterThan(0);
  const refusal = await page.evaluate(() =>
    navigator.mediaDevices.getUserMedia({ audio: true }).then(
      () => 'granted',
      (e: Error) => e.name,
    ),
  );
  expect(refusal).toBe('NotAllowedError');
  await expect(page.getByTestId('ear-problem')).toHaveText(MIC_MESSAGES.denied);
  await expect
    .poll(() => host.desktop.voiceStatuses.at(-1))
    .toMatchObject({
      state: 'unavailable',
      problem: MIC_MESSAGES.denied,
    });
  host.fakes.llm.setReplies([REPLY]);
  const input = page.getByLabel('Say something to Kiyo');
  await input.fill('Can you hear me?');
  await input.press('Enter');
  await expect
    .poll(() => page.evaluate(() => (window as unknown as KiyoPage).__kiyo.firstSamples.length), {
      timeout: 30_000,
    })
    .toBeGreaterThan(0);
});

test('no microphone: a plain message in the overlay and to Preferences, no state shown', async () => {
  const { page } = await host.openEar('absent');
  await expect.poll(() => micAsks(page), { timeout: 30_000 }).toBeGreaterThan(0);
  // The fault: the system offers no microphone at all.
  expect(
    await page.evaluate(
      async () =>
        (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput').length,
    ),
  ).toBe(0);
  await expect(page.getByTestId('ear-problem')).toHaveText(MIC_MESSAGES.absent);
  expect(host.desktop.voiceStatuses.at(-1)).toMatchObject({ state: 'unavailable', devices: [] });
  await expect(page.getByTestId('ear-state')).toHaveCount(0);
});

// The voice detector runs in its own worker (vad-worker.ts), which loads onnxruntime's .wasm and
// the Silero model itself: either failing must leave a plain message and a working app.
for (const [what, pattern] of [
  ['its worker script', /\/assets\/vad-worker-[^/]*\.js$/],
  ['its model', /\/vad\/silero_vad_v5\.onnx$/],
] as const) {
  test(`the voice detector cannot load (${what} refused): a plain message, no microphone opened, typing still works`, async () => {
    const refused: string[] = [];
    const sentBefore = host.desktop.utterances.length;
    const { page } = await host.openEar([{ silenceMs: 500 }, { speech: hello }], {}, async (p) => {
      await p.route(pattern, (route) => {
        refused.push(route.request().url());
        return route.abort();
      });
    });
    // The fault: the detector asked for the file and was refused it.
    await expect.poll(() => refused.length, { timeout: 30_000 }).toBeGreaterThan(0);
    await expect(page.getByTestId('ear-problem')).toHaveText(MIC_MESSAGES.detector, { timeout: 30_000 });
    await expect
      .poll(() => host.desktop.voiceStatuses.at(-1))
      .toMatchObject({ state: 'unavailable', problem: MIC_MESSAGES.detector });
    // Without a detector the microphone is never opened, so nothing can be sent.
    expect(await micAsks(page)).toBe(0);
    expect(host.desktop.utterances).toHaveLength(sentBefore);
    const input = page.getByLabel('Say something to Kiyo');
    await input.fill('Can you hear me?');
    await input.press('Enter');
    await expect
      .poll(() => page.evaluate(() => (window as unknown as KiyoPage).__kiyo.firstSamples.length), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
  });
}
