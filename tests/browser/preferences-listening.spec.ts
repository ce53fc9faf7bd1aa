import { expect, test, type Page } from '@playwright/test';
import {
  FakeOpenAiTranscriptionServer,
  utteranceWav,
} from '../../src/fakes/fake-openai-transcription-server';
import { startPreferencesHost, type PreferencesHost } from './preferences-host';
import { detectorHangoverMs } from '../../src/shared/voice-input';
import { percentile } from '../../src/shared/stats';

let host: PreferencesHost;
let stt: FakeOpenAiTranscriptionServer;
test.beforeAll(async () => {
  host = await startPreferencesHost();
  stt = await FakeOpenAiTranscriptionServer.start({ latencyMs: 20, perAudioSecondMs: 0 });
});
test.afterAll(async () => {
  await host.close();
  await stt.close();
});

async function open(page: Page, tab: string): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await host.attach(page);
  await page.goto(host.url);
  await page.getByRole('tab', { name: tab }).click();
  return errors;
}

const setting = (page: Page, name: string) => page.locator(`[data-setting="${name}"]`);
const KEY = 'gsk_prefsListening0123456789';

test('Listening shows every setting with unit, range and explanation, and persists each change', async ({
  page,
}) => {
  const errors = await open(page, 'Listening');
  const mode = setting(page, 'listen.mode');
  await expect(mode).toContainText('push-to-talk: only while the push-to-talk key is held');
  await mode.getByRole('combobox').selectOption('push-to-talk');
  await expect(mode.getByRole('status')).toHaveText('Saved. Applies from the next reply.');
  expect(host.saved.at(-1)?.listen.mode).toBe('push-to-talk');
  // Hold to talk (the default) while main's key hook runs; the toggle where it cannot, and why.
  const hint = page.locator('[data-hint="push-to-talk"]');
  await expect(hint).toContainText('Hold CommandOrControl+Shift+Y while you talk');
  await host.setHoldToTalk({
    state: 'unavailable',
    problem: 'the keyboard hook needs an X11 display (or XWayland) that it can watch',
  });
  await expect(hint).toContainText(
    'Hold-to-talk is unavailable: the keyboard hook needs an X11 display (or XWayland) that it can watch. Instead, press CommandOrControl+Shift+Y to start talking and press it again to send.',
  );
  const style = setting(page, 'listen.pushToTalkStyle');
  await expect(style).toContainText('toggle: press the key to start talking');
  await style.getByRole('combobox').selectOption('toggle');
  await expect(style.getByRole('status')).toHaveText('Saved. Applies from the next reply.');
  expect(host.saved.at(-1)?.listen.pushToTalkStyle).toBe('toggle');
  await expect(hint).toHaveText(
    'Press CommandOrControl+Shift+Y to start talking and press it again to send. Change the key in Overlay.',
  );
  await host.setHoldToTalk({ state: 'active' });

  const hangover = setting(page, 'listen.endSilenceMs');
  await expect(hangover).toContainText('(ms)');
  await expect(hangover).toContainText('Range 100–3000 ms');
  await expect(hangover).toContainText('end-of-speech hangover');
  await hangover.getByRole('spinbutton').fill('700');
  await hangover.getByRole('spinbutton').press('Enter');
  await expect(hangover.getByRole('status')).toHaveText('Saved. Applies from the next reply.');
  expect(host.saved.at(-1)?.listen.endSilenceMs).toBe(700);
  // What the detector will actually wait: whole 32 ms frames (22 of them).
  await expect(page.locator('[data-hint="hangover"]')).toContainText('finished 704 ms after your last word');

  // Fewer than 300 ms of pre-roll would cut first syllables: refused in the form, never saved.
  const saves = host.saved.length;
  const preRoll = setting(page, 'listen.preRollMs');
  await preRoll.getByRole('spinbutton').fill('100');
  await preRoll.getByRole('spinbutton').press('Enter');
  await expect(preRoll.getByRole('alert')).toHaveText(
    'Not saved: Must be between 300 and 2000 ms. Kiyo keeps using 400 ms.',
  );
  expect(host.saved.length).toBe(saves);

  const bargeIn = setting(page, 'listen.bargeIn');
  await bargeIn.getByRole('checkbox').click();
  await expect(bargeIn.getByRole('status')).toHaveText('Saved. Applies from the next reply.');
  expect(host.saved.at(-1)?.listen.bargeIn).toBe(false);
  await expect(bargeIn.getByRole('checkbox')).not.toBeChecked();
  for (const name of ['speechThreshold', 'minSpeechMs', 'bargeInMinSpeechMs', 'showStateOnStream'])
    await expect(setting(page, `listen.${name}`)).toBeVisible();
  expect(errors).toEqual([]);
});

test('the microphone list and level meter come from what the overlay reported', async ({ page }) => {
  await open(page, 'Listening');
  await expect(page.locator('[data-ear-state="none"]')).toBeVisible();
  await host.pushVoiceStatus({
    state: 'hearing',
    level: 0.42,
    devices: [
      { deviceId: 'default', label: 'Default' },
      { deviceId: 'usb-mic-1', label: 'USB microphone' },
    ],
  });
  await expect(page.locator('[data-ear-state="hearing"]')).toContainText('Hearing you');
  await expect(page.locator('#ear-level')).toHaveAttribute('value', '0.42');
  const mic = setting(page, 'listen.deviceId');
  await mic.getByRole('combobox').selectOption({ label: 'USB microphone' });
  await expect(mic.getByRole('status')).toHaveText('Saved. Applies from the next reply.');
  expect(host.saved.at(-1)?.listen.deviceId).toBe('usb-mic-1');
  await host.pushVoiceStatus({
    state: 'unavailable',
    level: 0,
    devices: [],
    problem: 'The microphone is blocked.',
  });
  await expect(page.locator('[data-ear-state="unavailable"]').getByRole('alert')).toHaveText(
    'The microphone is blocked.',
  );
});

test('speech to text: a preset fills base URL and model; the key is saved, bound, and never shown', async ({
  page,
}) => {
  await open(page, 'Listening');
  await setting(page, 'stt.preset')
    .getByRole('combobox')
    .selectOption({ label: 'Groq — whisper-large-v3-turbo' });
  await expect(setting(page, 'stt.providers.openai.baseUrl').getByRole('textbox')).toHaveValue(
    'https://api.groq.com/openai/v1',
  );
  expect(host.saved.at(-1)?.stt.providers.openai.model).toBe('whisper-large-v3-turbo');
  const key = setting(page, 'stt.providers.openai.apiKey');
  await key.getByPlaceholder('Empty for local servers').fill(KEY);
  await key.getByRole('button', { name: 'Save key' }).click();
  await expect(key.getByLabel('API key stored')).toBeVisible();
  expect(host.saved.at(-1)?.stt.providers.openai).toMatchObject({
    apiKey: KEY,
    apiKeyOrigin: 'https://api.groq.com',
  });
  expect(await page.content()).not.toContain(KEY);
  const language = setting(page, 'stt.providers.openai.language');
  await language.getByRole('textbox').fill('English');
  await language.getByRole('textbox').press('Enter');
  await expect(language.getByRole('alert')).toContainText('a language code such as en');
});

test('the Latency tab times voice turns from the end of speech to the first sample played', async ({
  page,
}) => {
  const HELLO = 'Hello Kiyo, how are you today?';
  const speech = await stt.register(HELLO);
  const update = host.service.updateSettings({
    stt: { providers: { openai: { baseUrl: stt.url, model: 'whisper-1', apiKey: null } } },
  });
  expect(update.ok).toBe(true);
  const id = await host.runner.hear({ wav: utteranceWav(speech), speechMs: 2000, sinceSpeechEndMs: 600 });
  await expect
    .poll(() => host.events.find((e) => e.type === 'turn-end' && e.turnId === id), { timeout: 30_000 })
    .toBeTruthy();
  expect(host.events.find((e) => e.type === 'transcript' && e.turnId === id)).toMatchObject({ text: HELLO });
  host.runner.playbackStarted(id, 12);
  await open(page, 'Latency');
  const voice = page.getByRole('table', { name: 'Voice latency percentiles' });
  const row = voice.locator('[data-voice-mark="firstSamplePlayed"]');
  await expect(row).toContainText('End of speech → first sample played');
  const p50 = Number((await row.locator('td').nth(1).textContent())?.replace(' ms', ''));
  const marks = host.runner.recentLatency().at(-1)!;
  // The dashboard rounds as everywhere: the percentile to 0.1 ms, then to whole ms (702.46 → 703).
  const shown = (ms: number) => Math.round(percentile([ms], 50));
  expect(p50).toBe(shown(marks.firstSamplePlayed!));
  expect(marks.firstSamplePlayed!).toBeGreaterThan(marks.transcriptReady!);
  // The detector decided a hangover after the end of speech (never later than the page sent it).
  expect(marks.speechEndDetected).toBe(
    Math.min(detectorHangoverMs(host.service.getSettings().listen.endSilenceMs), 600),
  );
  await expect(voice.locator('[data-voice-mark="speechEndDetected"]')).toContainText(
    `${shown(marks.speechEndDetected!)} ms`,
  );
});
