import { expect, test, type Page } from '@playwright/test';
import { startPreferencesHost, type PreferencesHost } from './preferences-host';
import { collect } from '../helpers/pipeline-fixture';

let host: PreferencesHost;
test.beforeAll(async () => {
  host = await startPreferencesHost();
});
test.afterAll(async () => {
  await host.close();
});

async function open(page: Page, tab: string): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await host.attach(page);
  await page.goto(host.url);
  await page.getByRole('tab', { name: tab }).click();
  expect(errors).toEqual([]);
}

const setting = (page: Page, name: string) => page.locator(`[data-setting="${name}"]`);

test('streaming settings show unit, range, default and explanation, and apply to the next turn', async ({
  page,
}) => {
  await open(page, 'Streaming');
  const ahead = setting(page, 'streaming.synthesisAhead');
  await expect(ahead).toContainText('Synthesis ahead');
  await expect(ahead).toContainText('Range 1–8');
  await expect(ahead).toContainText('Default 3');
  await expect(setting(page, 'streaming.firstSegmentBudgetMs')).toContainText('(ms)');

  await ahead.getByRole('spinbutton').fill('2');
  await ahead.getByRole('spinbutton').press('Enter');
  await expect(page.getByRole('status').last()).toContainText('Saved');
  expect(host.saved.at(-1)?.streaming.synthesisAhead).toBe(2);
  expect(host.service.getSettings().streaming.synthesisAhead).toBe(2);
});

test('invalid input is rejected in the form with a clear message and never saved', async ({ page }) => {
  await open(page, 'Streaming');
  const saves = host.saved.length;
  const ahead = setting(page, 'streaming.synthesisAhead');
  await ahead.getByRole('spinbutton').fill('99');
  await ahead.getByRole('spinbutton').press('Enter');
  await expect(ahead.getByRole('alert')).toHaveText('Must be between 1 and 8.');
  await expect(ahead.getByRole('spinbutton')).toHaveAttribute('aria-invalid', 'true');
  expect(host.saved.length).toBe(saves);

  // A value only the server can judge (min above max) comes back as a message too.
  const max = setting(page, 'streaming.firstSegmentMaxChars');
  await max.getByRole('spinbutton').fill('2');
  await max.getByRole('spinbutton').press('Enter');
  await expect(max.getByRole('alert')).toContainText(/at least|between/);
  expect(host.saved.length).toBe(saves);
});

test('presets set every streaming value and show which one is active', async ({ page }) => {
  await open(page, 'Streaming');
  const presets = page.getByRole('group', { name: 'Presets' });
  await presets.getByRole('button', { name: 'Fastest first sentence' }).click();
  await expect(presets.getByRole('button', { name: 'Fastest first sentence' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  expect(host.service.getSettings().streaming).toMatchObject({
    firstSegmentMinChars: 1,
    firstSegmentBudgetMs: 300,
  });
  await expect(setting(page, 'streaming.firstSegmentBudgetMs').getByRole('spinbutton')).toHaveValue('300');
  await presets.getByRole('button', { name: 'Balanced' }).click();
  await expect(presets.getByRole('button', { name: 'Balanced' })).toHaveAttribute('aria-pressed', 'true');
});

test('LLM: provider presets, model list from /v1/models, connection test with time to first token', async ({
  page,
}) => {
  await open(page, 'LLM');
  await page.getByRole('button', { name: 'Fetch models' }).click();
  await expect(page.getByLabel('Models on the server')).toContainText('kiyo-fake');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByLabel('Connection test')).toContainText(
    /Connected to kiyo-fake: first token after \d+ ms/,
  );

  host.fakes.llm.faults.push('http-401');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByLabel('Connection test')).toContainText('Check your API key');

  const baseUrl = host.service.getSettings().llm.baseUrl;
  await page.getByLabel('Provider').selectOption('ollama');
  await expect.poll(() => host.service.getSettings().llm.baseUrl).toBe('http://localhost:11434/v1');
  await host.service.updateSettings({ llm: { baseUrl, model: 'kiyo-fake' } });
});

test('the API key is entered once, never shown or sent back, and can be replaced', async ({ page }) => {
  await open(page, 'LLM');
  await page.getByLabel('API key').fill('sk-test-secret-123456');
  await page.getByRole('button', { name: 'Save key' }).click();
  await expect(page.getByLabel('API key stored')).toHaveText('••••••••');
  expect(host.saved.at(-1)?.llm.apiKey).toBe('sk-test-secret-123456');
  const rendered = await page.content();
  expect(rendered).not.toContain('sk-test-secret-123456');
  const seen = await page.evaluate(() => window.kiyoPreferences!.getSettings());
  expect(JSON.stringify(seen)).not.toContain('sk-test-secret');
  expect(seen.llm.apiKeySet).toBe(true);
  await page.getByRole('button', { name: 'Replace' }).click();
  await expect(page.getByLabel('API key')).toHaveValue('');
  await host.service.updateSettings({ llm: { apiKey: null } });
});

test('voices are fetched, filtered by language, and previewed through the pipeline', async ({ page }) => {
  await open(page, 'Voice');
  const voices = page.getByRole('listbox', { name: 'Voice', exact: true });
  await expect(voices.locator('option')).toHaveCount(5);
  await page.getByLabel('Find a voice (language, name)').fill('ja-JP');
  await expect(voices.locator('option')).toHaveCount(2); // the match, and the current voice kept visible
  await voices.selectOption('ja-JP-NanamiNeural');
  await expect.poll(() => host.service.getSettings().tts.voice).toBe('ja-JP-NanamiNeural');
  const before = host.events.filter((e) => e.type === 'turn-end').length;
  const requestsBefore = host.fakes.tts.requests.length;
  await page.getByRole('button', { name: 'Preview voice' }).click();
  await expect.poll(() => host.events.filter((e) => e.type === 'turn-end').length).toBe(before + 1);
  expect(host.fakes.tts.requests.at(-1)?.ssml).toContain('ja-JP-NanamiNeural');
  // The Japanese sample, segmented like any reply (clauses may be requested in parallel).
  const sample = 'こんにちは、キヨです。今日も一緒に遊ぼうね！';
  const parts = host.fakes.tts.requests.slice(requestsBefore).map((r) => r.text);
  expect(parts.every((p) => sample.includes(p))).toBe(true);
  expect(parts.join('').length).toBe(sample.length);
  await host.service.updateSettings({ tts: { voice: 'en-US-AnaNeural' } });
});

test('the latency dashboard charts recent turns with p50 and p95', async ({ page }) => {
  host.fakes.llm.setReplies(['Hi there, friend! Nice to see you.']);
  for (let i = 0; i < 3; i++) {
    const id = await host.runner.say(`hello ${i}`);
    await expect.poll(() => host.events.some((e) => e.type === 'turn-end' && e.turnId === id)).toBe(true);
    host.runner.playbackStarted(id, 12);
  }
  await open(page, 'Latency');
  await expect(page.getByRole('img', { name: 'Latency of recent replies' }).locator('g')).toHaveCount(3);
  const table = page.getByRole('table', { name: 'Latency percentiles' });
  for (const mark of ['llmFirstToken', 'firstSegment', 'ttsFirstByte', 'firstSamplePlayed']) {
    await expect(table.locator(`tr[data-mark="${mark}"] td`).nth(1)).toHaveText(/^\d+ ms$/);
  }
  // A new turn shows up without reopening the window.
  const id = await host.runner.say('one more');
  await expect.poll(() => host.events.some((e) => e.type === 'turn-end' && e.turnId === id)).toBe(true);
  await expect(page.getByRole('img', { name: 'Latency of recent replies' }).locator('g')).toHaveCount(4);
});

test('overlay and advanced: scale, toggles, log level, reset to defaults keeps the key', async ({ page }) => {
  await open(page, 'Overlay');
  await page.getByLabel('Subtitles').uncheck();
  await expect.poll(() => host.overlay.subtitles).toBe(false);
  await page.getByLabel('Subtitles').check();
  await page.getByLabel('Always on top').uncheck();
  await expect.poll(() => host.overlay.alwaysOnTop).toBe(false);
  await page.getByLabel('Always on top').check();

  const hotkey = page.locator('[data-hotkey="toggleOverlay"]');
  await expect(hotkey.getByRole('textbox')).toHaveValue('CommandOrControl+Shift+K');
  await hotkey.getByRole('textbox').fill('Ctrl+Taken');
  await hotkey.getByRole('textbox').press('Enter');
  await expect(hotkey.getByRole('alert')).toContainText('another application has registered it');
  await hotkey.getByRole('textbox').fill('Alt+Shift+K');
  await hotkey.getByRole('textbox').press('Enter');
  await expect(hotkey.getByRole('alert')).toHaveCount(0);

  await host.service.updateSettings({ llm: { apiKey: 'sk-keep-me-1234567' }, character: { name: 'Miko' } });
  await page.getByRole('tab', { name: 'Advanced' }).click();
  await page.getByLabel('Log level').selectOption('debug');
  await expect(page.getByLabel('Log level')).toHaveValue('debug');
  await page.getByRole('button', { name: 'Reset to defaults…' }).click();
  await page.getByRole('group', { name: 'Confirm reset' }).getByRole('button', { name: 'Reset' }).click();
  await expect.poll(() => host.service.getSettings().character.name).toBe('Kiyo');
  expect(host.saved.at(-1)?.llm.apiKey).toBe('sk-keep-me-1234567');
  await host.service.updateSettings({
    llm: { apiKey: null, baseUrl: host.fakes.llm.url, model: 'kiyo-fake' },
  });
});

test('a changed persona is used by the very next turn', async ({ page }) => {
  await open(page, 'Character');
  await expect(page.getByLabel('Avatar model in use')).toHaveText('Shizuku (built in)');
  await page.getByRole('button', { name: 'Choose a model folder…' }).click();
  await expect(page.getByLabel('Avatar model in use')).toHaveText('haru.model3.json (/models/haru)');
  await page.getByRole('button', { name: 'Use the built-in one' }).click();
  await expect(page.getByLabel('Avatar model in use')).toHaveText('Shizuku (built in)');

  const prompt = setting(page, 'character.systemPrompt').getByRole('textbox');
  await prompt.fill('You are Kiyo, a pirate. Speak like one.');
  await prompt.blur();
  await expect
    .poll(() => host.service.getSettings().character.systemPrompt)
    .toBe('You are Kiyo, a pirate. Speak like one.');
  await collect(host.runner['conversation'].runTurn('ahoy'));
  expect(host.fakes.llm.requests.at(-1)?.messages[0]).toEqual({
    role: 'system',
    content: 'You are Kiyo, a pirate. Speak like one.',
  });
});
