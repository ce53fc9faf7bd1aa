import { expect, test, type Page } from '@playwright/test';
import { emotionMapFor } from '../../src/shared/emotion-map';
import { startPreferencesHost, type PreferencesHost } from './preferences-host';

/**
 * Preferences → Character's emotion map, in the built page against the real PreferencesService:
 * the model's own expressions and motions to pick from, a preview per pick that goes to the
 * overlay, and the choice saved for that model only.
 */

let host: PreferencesHost;
test.beforeAll(async () => {
  host = await startPreferencesHost();
});
test.afterAll(async () => {
  await host.close();
});

async function openCharacter(page: Page): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await host.attach(page);
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Character' }).click();
  expect(errors).toEqual([]);
}

test("the bundled model's lists, its defaults, a preview on the overlay, and a change saved for this model only", async ({
  page,
}) => {
  await openCharacter(page);
  const joyExpression = page.getByLabel('joy expression', { exact: true });
  // The model's own four expressions (read from its model file), the default picked.
  await expect(joyExpression.locator('option')).toHaveText(['no expression', 'f01', 'f02', 'f03', 'f04']);
  await expect(joyExpression).toHaveValue('f04');
  await expect(page.getByLabel('angry motion', { exact: true })).toHaveValue('shake');
  await expect(page.getByLabel('angry motion', { exact: true }).locator('option')).toContainText([
    'idle',
    'tap_body',
    'flick_head',
  ]);

  await page.getByRole('button', { name: 'Preview angry motion' }).click();
  await page.getByRole('button', { name: 'Preview joy expression' }).click();
  await expect.poll(() => host.previews).toEqual([{ motion: 'shake' }, { expression: 'f04' }]);
  // Nothing picked, nothing to preview.
  await expect(page.getByRole('button', { name: 'Preview joy motion' })).toBeDisabled();

  await joyExpression.selectOption('f03');
  await expect(page.getByRole('status').filter({ hasText: 'Saved: joy' })).toHaveText(
    'Saved: joy → expression f03.',
  );
  expect(emotionMapFor(host.overlay).joy).toEqual({ expression: 'f03' });
  // The other emotions kept their defaults: the whole map is now the user's for this model.
  expect(emotionMapFor(host.overlay).angry).toEqual({ expression: 'f03', motion: 'shake' });

  // Another model: its own (empty) map and its own lists; back on the bundled one, the change is there.
  await page.getByRole('button', { name: 'Choose a model folder…' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'model file' })).toContainText(
    "The avatar's model file",
  );
  await expect(page.getByLabel('joy expression', { exact: true })).toHaveValue('');
  await page.getByRole('button', { name: 'Use the built-in one' }).click();
  await expect(page.getByLabel('joy expression', { exact: true })).toHaveValue('f03');
  expect(Object.keys(host.overlay.emotionMaps)).toEqual(['']);
});
