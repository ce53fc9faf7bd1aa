import { expect, test } from '@playwright/test';
import { FakeOpenAiServer } from '../../src/fakes/fake-openai-server';
import { originOf } from '../../src/shared/origin';
import { startPreferencesHost, type PreferencesHost } from './preferences-host';

/** Preferences → LLM after the base URL moved away from the saved key's origin. */
let host: PreferencesHost;
let other: FakeOpenAiServer;
test.beforeAll(async () => {
  host = await startPreferencesHost();
  other = await FakeOpenAiServer.start({ ttftMs: 20, tokensPerSecond: 400 });
});
test.afterAll(async () => {
  await other.close();
  await host.close();
});

test('asks before the saved key may go to a new origin, and sends it only after yes', async ({ page }) => {
  const KEY = 'sk-browser-origin-0123456789';
  const home = originOf(host.fakes.llm.url);
  const away = originOf(other.url);
  host.service.updateSettings({ llm: { baseUrl: host.fakes.llm.url, apiKey: KEY } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await host.attach(page);
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'LLM' }).click();
  const ask = page.getByRole('group', { name: 'Saved key for another server' });
  await expect(ask).toHaveCount(0); // at home, nothing to ask

  host.service.updateSettings({ llm: { baseUrl: other.url } });
  await page.reload();
  await page.getByRole('tab', { name: 'LLM' }).click();
  await expect(ask).toContainText(`Your saved key is for ${home}, so it is not sent to ${away}.`);
  await page.getByRole('button', { name: 'Fetch models' }).click();
  await expect.poll(() => other.authorizations.length).toBe(1);
  expect(other.authorizations).toEqual(['Bearer no-key']);

  await ask.getByRole('button', { name: `Use my saved key with ${away}` }).click();
  await expect(ask).toHaveCount(0);
  expect(host.saved.at(-1)?.llm.apiKeyOrigin).toBe(away);
  await page.getByRole('button', { name: 'Fetch models' }).click();
  await expect.poll(() => other.authorizations.length).toBe(2);
  expect(other.authorizations[1]).toBe(`Bearer ${KEY}`);
  expect(errors).toEqual([]);
});
