import { expect, test, type Page } from '@playwright/test';
import { utteranceSpeech } from '../../src/fakes/fake-openai-transcription-server';
import { ear, startVoiceHost, type VoiceHost } from './voice-host';
import type { KiyoPage } from './voice-host';

/** Long enough (~40 s aloud) that Kiyo is still talking whenever the microphone speaks. */
const STORY = Array.from(
  { length: 6 },
  (_, i) =>
    `Chapter ${i + 1}. Once upon a time a little fox climbed the tallest hill to look at the moon, and it told the stars a very long story about the river.`,
).join(' ');
const STOP = 'Wait Kiyo, tell me about the weather instead.';
const WEATHER = 'Sunny and warm all day.';

let host: VoiceHost;
let stop: Int16Array;
test.beforeAll(async () => {
  host = await startVoiceHost();
  stop = await host.stt.register(STOP);
});
test.afterEach(async () => host.closeEars());
test.afterAll(async () => host?.close());

const playing = (page: Page) => page.evaluate(() => (window as unknown as KiyoPage).__kiyo.activeSources);

/**
 * Kiyo tells the story; once she is heard, the ear starts listening (the fake microphone's file
 * starts with the capture, so what it says comes while she talks).
 */
async function whileKiyoTalks(page: Page): Promise<string> {
  host.fakes.llm.setReplies([STORY, WEATHER]);
  await expect.poll(() => host.desktop.voiceStatuses.at(-1)?.state, { timeout: 30_000 }).toBe('off');
  const turnId = await host.runner.say('Tell me a story');
  await expect.poll(() => playing(page), { timeout: 30_000 }).toBeGreaterThan(0);
  host.setListen({ mode: 'hands-free' });
  return turnId;
}

test('barge-in: the user speaks while Kiyo talks, she stops at once, and the new turn is answered', async () => {
  const { page } = await host.openEar([{ silenceMs: 1500 }, { speech: stop }, { silenceMs: 30_000 }], {
    mode: 'muted',
    bargeIn: true,
  });
  const story = await whileKiyoTalks(page);

  await expect
    .poll(async () => ((await ear(page))?.frames ?? 0) * 32, { timeout: 60_000 })
    .toBeGreaterThan(5000);
  await expect.poll(async () => (await ear(page))?.interruptions, { timeout: 60_000 }).toBe(1);
  // Silent at once in the page (the story had ~40 s to go), through the Escape path: the turn is
  // cancelled if it was still being written, and the player reports what was heard.
  await expect.poll(() => playing(page), { timeout: 5_000 }).toBe(0);
  await expect
    .poll(() => host.turnEvents(story).some((e) => e.type === 'turn-end'), { timeout: 10_000 })
    .toBe(true);
  // What the user said becomes the next turn, and it is answered aloud.
  await expect.poll(() => host.voiceTurns().length, { timeout: 30_000 }).toBe(1);
  const [voice] = host.voiceTurns();
  await expect
    .poll(() => host.turnEvents(voice!).find((e) => e.type === 'transcript'), { timeout: 15_000 })
    .toMatchObject({ text: STOP });
  await expect
    .poll(
      () => page.evaluate(() => (window as unknown as KiyoPage).__kiyo.firstSamples.map((s) => s.turnId)),
      { timeout: 30_000 },
    )
    .toContain(voice);
  // The history keeps what was heard of the story, not all of it.
  const request = host.fakes.llm.requests.at(-1)!.messages;
  expect(request.at(-1)).toEqual({ role: 'user', content: STOP });
  const heard = request.at(-2)!;
  expect(heard.role).toBe('assistant');
  expect(heard.content.length).toBeGreaterThan(0);
  expect(heard.content.length).toBeLessThan(STORY.length);
});

test('barge-in off: talking over Kiyo neither stops her nor becomes a turn', async () => {
  const { page } = await host.openEar([{ silenceMs: 1500 }, { speech: stop }, { silenceMs: 30_000 }], {
    mode: 'muted',
    bargeIn: false,
  });
  const sent = host.desktop.utterances.length;
  const story = await whileKiyoTalks(page);
  const stopMs = 1500 + (stop.length / 16_000) * 1000;
  // The user's words reached the detector as speech, past their end and hangover...
  await expect
    .poll(async () => ((await ear(page))?.frames ?? 0) * 32, { timeout: 60_000 })
    .toBeGreaterThan(stopMs + 1000);
  expect((await ear(page))!.maxProbability).toBeGreaterThan(0.9);
  // ...while Kiyo went on talking: no interruption, nothing sent, the story still playing.
  expect(await playing(page)).toBeGreaterThan(0);
  expect((await ear(page))!.interruptions).toBe(0);
  expect((await ear(page))!.dropped).toBe(1);
  expect(host.desktop.utterances).toHaveLength(sent);
  expect(host.turnEvents(story).find((e) => e.type === 'turn-end')?.reason).not.toBe('cancelled');
});

test("echo: Kiyo's own voice coming back at echo level never interrupts her and is never sent", async () => {
  // What echo cancellation leaves of her voice: her words 40 dB down (about −35 dBFS after the
  // browser's gain control, which lifts it by ~12 dB here).
  const { samples } = await utteranceSpeech(STORY.slice(0, 120));
  const { page } = await host.openEar(
    [{ silenceMs: 1000 }, { speech: samples, gain: 0.01 }, { silenceMs: 30_000 }],
    {
      mode: 'muted',
      bargeIn: true,
    },
  );
  const sent = host.desktop.utterances.length;
  const story = await whileKiyoTalks(page);
  const echoMs = 1000 + (samples.length / 16_000) * 1000;
  await expect
    .poll(async () => ((await ear(page))?.frames ?? 0) * 32, { timeout: 60_000 })
    .toBeGreaterThan(echoMs + 1000);
  // The echo did reach the detector, which took it for speech (it is speech)...
  expect((await ear(page))!.maxProbability).toBeGreaterThan(0.9);
  // ...and it was not let through: no interruption, nothing sent, Kiyo still talking.
  expect((await ear(page))!.interruptions).toBe(0);
  expect((await ear(page))!.dropped).toBeGreaterThanOrEqual(1);
  expect(host.desktop.utterances).toHaveLength(sent);
  expect(await playing(page)).toBeGreaterThan(0);
  expect(host.turnEvents(story).find((e) => e.type === 'turn-end')?.reason).not.toBe('cancelled');
});
