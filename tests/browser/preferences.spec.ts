import { expect, test, type Page } from '@playwright/test';
import { startPreferencesHost, type PreferencesHost } from './preferences-host';
import { collect } from '../helpers/pipeline-fixture';
import type { PreferencesBridge } from '../../src/shared/preferences-api';

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
  await expect(ahead.getByRole('status')).toHaveText('Saved. Applies from the next reply.');
  expect(host.saved.at(-1)?.streaming.synthesisAhead).toBe(2);
  expect(host.service.getSettings().streaming.synthesisAhead).toBe(2);
});

test('invalid input is rejected in the form with a clear message and never saved', async ({ page }) => {
  await open(page, 'Streaming');
  const saves = host.saved.length;
  const ahead = setting(page, 'streaming.synthesisAhead');
  await ahead.getByRole('spinbutton').fill('99');
  await ahead.getByRole('spinbutton').press('Enter');
  const current = host.service.getSettings().streaming.synthesisAhead;
  await expect(ahead.getByRole('alert')).toHaveText(
    `Not saved: Must be between 1 and 8. Kiyo keeps using ${current}.`,
  );
  await expect(ahead.getByRole('spinbutton')).toHaveAttribute('aria-invalid', 'true');
  expect(host.saved.length).toBe(saves);

  // A value only the app can judge (max below min) comes back in the fields' own words.
  const max = setting(page, 'streaming.segmentMaxChars');
  await max.getByRole('spinbutton').fill('21');
  await max.getByRole('spinbutton').press('Enter');
  await expect(max.getByRole('alert')).toHaveText(
    'Not saved: "Segment max" must be at least "Segment min". Kiyo keeps using 200 characters.',
  );
  await expect(page.locator('body')).not.toContainText(/segmentMaxChars|segmentMinChars/);
  expect(host.saved.length).toBe(saves);
});

test('the save status sits next to what changed, never says "Saved." after a refusal, and goes with the tab', async ({
  page,
}) => {
  await open(page, 'Streaming');
  // The last field of a page taller than the window: its status is where the user is looking.
  const chunk = setting(page, 'streaming.audioChunkBytes');
  await chunk.getByRole('spinbutton').fill('8192');
  await chunk.getByRole('spinbutton').press('Enter');
  await expect(chunk.getByRole('status')).toHaveText('Saved. Applies from the next reply.');
  await expect(chunk.getByRole('status')).toBeInViewport();
  expect(host.saved.at(-1)?.streaming.audioChunkBytes).toBe(8192);
  await expect(page.getByRole('status')).toHaveCount(1);

  // Refused next: the earlier "Saved." is gone, and the refusal says what and why.
  const min = setting(page, 'streaming.segmentMinChars');
  await min.getByRole('spinbutton').fill('300');
  await min.getByRole('spinbutton').press('Enter');
  await expect(min.getByRole('alert')).toContainText(
    'Not saved: "Segment max" must be at least "Segment min".',
  );
  await expect(page.getByText('Saved.')).toHaveCount(0);

  // Another tab, and back: no status from before.
  await chunk.getByRole('spinbutton').fill('16384');
  await chunk.getByRole('spinbutton').press('Enter');
  await expect(chunk.getByRole('status')).toBeVisible();
  await page.getByRole('tab', { name: 'LLM' }).click();
  await expect(page.getByText('Saved.')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Streaming' }).click();
  await expect(page.getByText('Saved.')).toHaveCount(0);

  // A base URL without a scheme says what to type.
  await page.getByRole('tab', { name: 'LLM' }).click();
  const baseUrl = setting(page, 'llm.baseUrl');
  await baseUrl.getByRole('textbox').fill('localhost:11434/v1');
  await baseUrl.getByRole('textbox').press('Enter');
  await expect(baseUrl.getByRole('alert')).toContainText(
    'Not saved: Add http:// or https:// — for example http://localhost:11434/v1.',
  );
  expect(host.service.getSettings().llm.baseUrl).toBe(host.fakes.llm.url);
  const temperature = setting(page, 'llm.temperature');
  await temperature.getByRole('spinbutton').fill('0.5');
  await temperature.getByRole('spinbutton').press('Enter');
  await expect(temperature.getByRole('status')).toBeInViewport();
  await host.service.updateSettings({ llm: { temperature: 0.8 } });
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
  // window.kiyoPreferences is declared in the renderer's project, not in this (Node) one.
  const seen = await page.evaluate(() =>
    (window as unknown as { kiyoPreferences: PreferencesBridge }).kiyoPreferences.getSettings(),
  );
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
  await expect.poll(() => host.service.getSettings().tts.providers.edge.voice).toBe('ja-JP-NanamiNeural');
  const before = host.events.filter((e) => e.type === 'turn-end').length;
  const requestsBefore = host.fakes.tts.requests.length;
  await page.getByRole('button', { name: 'Preview voice' }).click();
  await expect
    .poll(() => host.events.filter((e) => e.type === 'turn-end').length, { timeout: 30_000 })
    .toBe(before + 1);
  expect(host.fakes.tts.requests.at(-1)?.ssml).toContain('ja-JP-NanamiNeural');
  // The Japanese sample, segmented like any reply (clauses may be requested in parallel).
  const sample = 'こんにちは、キヨです。今日も一緒に遊ぼうね！';
  const parts = host.fakes.tts.requests.slice(requestsBefore).map((r) => r.text);
  expect(parts.every((p) => sample.includes(p))).toBe(true);
  expect(parts.join('').length).toBe(sample.length);
  await host.service.updateSettings({ tts: { providers: { edge: { voice: 'en-US-AnaNeural' } } } });
});

test('the latency dashboard charts recent turns with p50 and p95', async ({ page }) => {
  host.fakes.llm.setReplies(['Hi there, friend! Nice to see you.']);
  for (let i = 0; i < 3; i++) {
    const id = await host.runner.say(`hello ${i}`);
    await expect
      .poll(() => host.events.some((e) => e.type === 'turn-end' && e.turnId === id), { timeout: 30_000 })
      .toBe(true);
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
  await expect
    .poll(() => host.events.some((e) => e.type === 'turn-end' && e.turnId === id), { timeout: 30_000 })
    .toBe(true);
  await expect(page.getByRole('img', { name: 'Latency of recent replies' }).locator('g')).toHaveCount(4);
});

test('the latency chart marks a failed turn and a silent reply instead of timing them', async ({ page }) => {
  const turn = async (text: string) => {
    const id = await host.runner.say(text);
    await expect
      .poll(() => host.events.some((e) => e.type === 'turn-end' && e.turnId === id), { timeout: 30_000 })
      .toBe(true);
    return host.events.findLast((e) => e.type === 'turn-end' && e.turnId === id)!;
  };
  host.fakes.llm.faults.push('http-401');
  expect(await turn('this one fails')).toMatchObject({ reason: 'error' });
  host.fakes.llm.setReplies(['🎉✨💖']);
  const silent = await turn('only emoji please');
  expect(silent).toMatchObject({ reason: 'complete', text: '🎉✨💖' });
  expect(silent.type === 'turn-end' && silent.latency.firstAudio).toBeUndefined();
  host.fakes.llm.setReplies(['Hi there, friend! Nice to see you.']);
  await turn('and a normal one');

  await open(page, 'Latency');
  const chart = page.getByRole('img', { name: 'Latency of recent replies' });
  await expect(chart.locator('g[data-outcome="failed"]').last()).toHaveText('failed');
  await expect(chart.locator('g[data-outcome="silent"]').last()).toHaveText('silent (nothing to say aloud)');
  await expect(chart.locator('g[data-outcome="spoken"]').last()).toHaveText(/^\d+ ms$/);
  await expect(chart.getByText('0 ms', { exact: true })).toHaveCount(0);
});

test('Advanced lists recent problems with time, the short message and the technical detail', async ({
  page,
}) => {
  host.fakes.llm.faults.push('http-401');
  const id = await host.runner.say('is my key right?');
  await expect
    .poll(() => host.events.some((e) => e.type === 'turn-end' && e.turnId === id), { timeout: 30_000 })
    .toBe(true);
  // The fault happened, and what the overlay got is the short sentence.
  expect(host.events.findLast((e) => e.type === 'error')).toMatchObject({
    code: 'llm-auth',
    message: 'The language model refused the API key — check Preferences → LLM.',
  });
  await open(page, 'Advanced');
  const problems = page.getByRole('region', { name: 'Recent problems' });
  const newest = problems.getByRole('listitem').first();
  await expect(newest).toContainText('The language model refused the API key — check Preferences → LLM.');
  await expect(newest.locator('code')).toContainText('llm-auth');
  await expect(newest.locator('code')).toContainText('HTTP 401');
  await expect(newest.locator('time')).toHaveText(/\d{1,2}:\d{2}/);

  // A new problem shows up while the page is open.
  const count = await problems.getByRole('listitem').count();
  host.fakes.llm.faults.push('http-500');
  await host.runner.say('again');
  await expect(problems.getByRole('listitem')).toHaveCount(count + 1);
  await expect(problems.getByRole('listitem').first().locator('code')).toContainText('HTTP 500');
});

test('overlay and advanced: scale, toggles, log level, reset to defaults keeps the key', async ({ page }) => {
  await open(page, 'Overlay');
  await page.getByLabel('Subtitles').uncheck();
  await expect.poll(() => host.overlay.subtitles).toBe(false);
  await page.getByLabel('Subtitles').check();
  await page.getByLabel('Always on top').uncheck();
  await expect.poll(() => host.overlay.alwaysOnTop).toBe(false);
  await page.getByLabel('Always on top').check();
  await page.getByLabel(/Friendly status on the OBS page/).check();
  await expect.poll(() => host.overlay.streamStatus).toBe(true);
  await page.getByLabel(/Friendly status on the OBS page/).uncheck();
  await expect.poll(() => host.overlay.streamStatus).toBe(false);

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
  // The persona, then the emotion tag rules (persona.ts).
  expect(host.fakes.llm.requests.at(-1)?.messages[0]).toEqual({
    role: 'system',
    content: expect.stringMatching(/^You are Kiyo, a pirate\. Speak like one\.\n\nMark the feeling/),
  });
});

test('emotion tags are edited in Character: refused in brackets, asked for from the very next turn', async ({
  page,
}) => {
  await open(page, 'Character');
  const tags = setting(page, 'character.emotionTags');
  await expect(tags).toContainText('never spoken or shown');
  const box = tags.getByRole('textbox');
  await box.fill('[joy] sad');
  await box.blur();
  await expect(tags.getByRole('alert')).toContainText(
    'Not saved: Write the emotion names in lowercase letters',
  );
  expect(host.service.getSettings().character.emotionTags).toBe(
    'joy sad angry surprised thinking shy neutral',
  );

  await box.fill('joy sleepy');
  await box.blur();
  await expect.poll(() => host.service.getSettings().character.emotionTags).toBe('joy sleepy');
  await collect(host.runner['conversation'].runTurn('hi'));
  expect(host.fakes.llm.requests.at(-1)?.messages[0]?.content).toContain('these tags: [joy] [sleepy].');
  await box.fill('');
  await box.blur();
  await expect.poll(() => host.service.getSettings().character.emotionTags).toBe('');
});
