import { expect, test, type Page } from '@playwright/test';
import { startPreferencesHost, type PreferencesHost } from './preferences-host';

let host: PreferencesHost;
test.beforeAll(async () => {
  host = await startPreferencesHost();
});
test.afterAll(async () => {
  await host.close();
});

const setting = (page: Page, name: string) => page.locator(`[data-setting="${name}"]`);

test('the instant first sound and the phrase cache are set on the Streaming tab, lists one item per line', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await host.attach(page);
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Streaming' }).click();

  await expect(setting(page, 'firstSound.enabled')).toContainText('Instant first sound');
  const delay = setting(page, 'firstSound.delayMs');
  await expect(delay).toContainText('(ms)');
  await expect(delay).toContainText('Default 250');
  const size = setting(page, 'phraseCache.sizeMb');
  await expect(size).toContainText('Size (MB)');

  await setting(page, 'firstSound.enabled').getByRole('checkbox').click();
  await expect.poll(() => host.service.getSettings().firstSound.enabled).toBe(true);

  const fillers = setting(page, 'firstSound.fillers').getByRole('textbox');
  await expect(fillers).toHaveValue('Hmm,\nLet me see…\nOh,\nWell,');
  await fillers.fill('Hmm,\n\n  Uh-huh,  \n');
  await fillers.blur();
  await expect.poll(() => host.service.getSettings().firstSound.fillers).toEqual(['Hmm,', 'Uh-huh,']);
  expect(host.saved.at(-1)?.firstSound.fillers).toEqual(['Hmm,', 'Uh-huh,']);

  // An empty list is refused in the form and never saved.
  const saves = host.saved.length;
  await fillers.fill('\n');
  await fillers.blur();
  await expect(setting(page, 'firstSound.fillers').getByRole('alert')).toContainText('Not saved');
  expect(host.saved.length).toBe(saves);
  expect(errors).toEqual([]);
});
