import { expect, test, type Page } from '@playwright/test';
import { FakeOpenAiSpeechServer } from '../../src/fakes/fake-openai-speech-server';
import { startOverlayHost, type OverlayHost } from './overlay-host';
import { startPreferencesHost, type PreferencesHost } from './preferences-host';

/**
 * Preferences → Voice chooses the speech provider and shows that provider's own form (from its
 * schema), and the choice speaks the next reply; the player plays PCM at the rate it is declared.
 */

test.describe('Preferences → Voice', () => {
  let host: PreferencesHost;
  let speech: FakeOpenAiSpeechServer;
  test.beforeAll(async () => {
    host = await startPreferencesHost();
    speech = await FakeOpenAiSpeechServer.start({ ttfbMs: 5, realtimeFactor: 0 });
    const result = host.service.updateSettings({
      tts: { providers: { openai: { baseUrl: speech.url, model: 'tts-1' } } },
    });
    if (!result.ok) throw new Error(result.errors.join('\n'));
  });
  test.afterAll(async () => {
    await host.close();
    await speech.close();
  });

  const setting = (page: Page, name: string) => page.locator(`[data-setting="${name}"]`);

  test('switching the provider shows its form and speaks the next reply with it', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await host.attach(page);
    await page.goto(host.url);
    await page.getByRole('tab', { name: 'Voice' }).click();

    const provider = page.getByLabel('Voice service');
    await expect(provider).toHaveValue('edge');
    await expect(setting(page, 'tts.providers.edge.rate')).toContainText('Range -50–100 %');
    await expect(setting(page, 'tts.providers.openai.baseUrl')).toHaveCount(0);

    await provider.selectOption({ label: 'OpenAI-compatible voice' });
    await expect(setting(page, 'tts.provider').getByRole('status')).toHaveText(
      'Saved. Applies from the next reply.',
    );
    expect(host.service.getSettings().tts.provider).toBe('openai');
    const form = page.locator('[data-provider-form="openai"]');
    await expect(form.locator('[data-setting="tts.providers.openai.baseUrl"] input')).toHaveValue(speech.url);
    await expect(setting(page, 'tts.providers.openai.responseFormat').getByRole('combobox')).toHaveValue(
      'pcm',
    );
    await expect(setting(page, 'tts.providers.openai.speed')).toContainText('Range 0.25–4');
    await expect(setting(page, 'tts.providers.openai.apiKey').getByLabel('API key')).toBeVisible();
    // Set by the app only: never a field.
    await expect(setting(page, 'tts.providers.openai.apiKeyOrigin')).toHaveCount(0);
    await expect(setting(page, 'tts.providers.edge.rate')).toHaveCount(0);

    // A field of the new form saves into that provider's settings.
    const voice = setting(page, 'tts.providers.openai.voice').getByRole('textbox');
    await voice.fill('nova');
    await voice.press('Enter');
    await expect.poll(() => host.service.getSettings().tts.providers.openai.voice).toBe('nova');

    // The next reply (a preview goes through the same pipeline) is spoken by the new provider.
    const before = speech.requests.length;
    await page.getByRole('button', { name: 'Preview voice' }).click();
    await expect.poll(() => speech.requests.length, { timeout: 30_000 }).toBeGreaterThan(before);
    expect(speech.requests.at(-1)).toMatchObject({ model: 'tts-1', voice: 'nova', response_format: 'pcm' });

    await provider.selectOption({ label: 'Offline voice' });
    await expect(setting(page, 'tts.providers.offline.speed')).toContainText('words per minute');
    await expect(setting(page, 'tts.providers.openai.baseUrl')).toHaveCount(0);
    expect(errors).toEqual([]);
  });
});

test.describe('the player', () => {
  let host: OverlayHost;
  test.beforeAll(async () => {
    // Edge unreachable: the offline voice speaks, with PCM at espeak-ng's 22,050 Hz.
    host = await startOverlayHost(
      { tts: { fallback: ['offline'] } },
      { edgeEndpoint: 'ws://127.0.0.1:9/edge' },
    );
  });
  test.afterAll(async () => {
    await host.close();
  });

  test('plays PCM at the sample rate its events declare (22,050 Hz, not 24 kHz)', async ({ page }) => {
    await page.goto(host.url);
    await expect
      .poll(
        () =>
          page.evaluate(
            () => (window as unknown as { __kiyo?: { modelLoaded: boolean } }).__kiyo?.modelLoaded,
          ),
        {
          timeout: 30_000,
        },
      )
      .toBe(true);
    host.fakes.llm.setReplies(['Just one short sentence.']);
    const turnId = await host.runner.say('hello');
    await expect
      .poll(() => host.events.some((e) => e.type === 'turn-end' && e.turnId === turnId), { timeout: 30_000 })
      .toBe(true);
    const audio = host.events.filter((e) => e.type === 'audio' && e.turnId === turnId) as Extract<
      (typeof host.events)[number],
      { type: 'audio' }
    >[];
    expect(audio.length).toBeGreaterThan(0);
    expect(new Set(audio.map((a) => JSON.stringify(a.format)))).toEqual(
      new Set([JSON.stringify({ codec: 'pcm', sampleRate: 22_050 })]),
    );
    const expected = audio.reduce((n, a) => n + a.data.byteLength, 0) / 2 / 22_050;
    const scheduled = () =>
      page.evaluate(
        () => (window as unknown as { __kiyo: { scheduledSeconds: number } }).__kiyo.scheduledSeconds,
      );
    await expect.poll(scheduled, { timeout: 15_000 }).toBeGreaterThan(expected * 0.99);
    expect(Math.abs((await scheduled()) - expected)).toBeLessThan(0.001);
  });
});
