import { expect, test, type Page } from '@playwright/test';
import { ChatCoordinator, type ChatTurns } from '../../src/main/chat/chat-coordinator';
import type { ChatControl } from '../../src/shared/chat-api';
import type { IncomingChatMessage } from '../../src/shared/chat';
import { chatSchema } from '../../src/shared/chat-settings';
import type { TurnSource } from '../../src/shared/pipeline-events';
import { testLogger } from '../helpers/pipeline-fixture';
import { startPreferencesHost, type PreferencesHost } from './preferences-host';

/**
 * Preferences → Chat: the chat settings show their units and explanations and persist through the
 * app's own PreferencesService; the panel lists the queue from a real ChatCoordinator, and its
 * answer now / skip / pause reach it. The page's `window.kiyoChat` is backed by the coordinator
 * over a Playwright binding, the way preload/chat-bridge.ts backs it by IPC in the app.
 */

let host: PreferencesHost;
let coordinator: ChatCoordinator;
const said: TurnSource[] = [];

test.beforeAll(async () => {
  host = await startPreferencesHost();
  const runner: ChatTurns = {
    say: (_text: string, source?: TurnSource) => {
      if (source) said.push(source);
      return Promise.resolve(`turn-${said.length}`);
    },
  };
  coordinator = new ChatCoordinator({
    runner,
    chat: { ...chatSchema.parse({}), enabled: true, streamerQuietSeconds: 0 },
    characterName: 'Kiyo',
    logger: testLogger(),
  });
});
test.afterAll(async () => {
  coordinator.close();
  await host.close();
});

async function open(page: Page): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await host.attach(page);
  await page.exposeBinding('__kiyoChatCall', (_source, method: string, arg: unknown) => {
    if (method === 'getState')
      return { ...coordinator.state(), twitch: { state: 'off', channel: '' }, signedIn: false };
    if (method === 'control') {
      const control = arg as ChatControl;
      if (control.action === 'pause') coordinator.setPaused(control.paused);
      else if (control.action === 'skip') coordinator.skip(control.key);
      else coordinator.answerNow(control.key);
      return { ok: true };
    }
    return { ok: false, error: 'not in this test' };
  });
  await page.addInitScript(() => {
    const call = (method: string) => (arg?: unknown) =>
      (window as unknown as { __kiyoChatCall: (m: string, a: unknown) => Promise<unknown> }).__kiyoChatCall(
        method,
        arg,
      );
    const listeners = new Set<() => void>();
    (window as unknown as { __kiyoChatChanged: () => void }).__kiyoChatChanged = () =>
      listeners.forEach((l) => l());
    (window as unknown as { kiyoChat: unknown }).kiyoChat = {
      getState: call('getState'),
      control: call('control'),
      setSignIn: call('setSignIn'),
      clearSignIn: call('clearSignIn'),
      onChanged: (listener: () => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
  });
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Chat' }).click();
  expect(errors).toEqual([]);
}

const setting = (page: Page, name: string) => page.locator(`[data-setting="${name}"]`);

const message = (viewer: string, text: string): IncomingChatMessage => ({
  platform: 'twitch',
  viewer,
  viewerId: viewer,
  text,
  moderator: false,
  subscriber: false,
  bits: 0,
  priority: 0,
  receivedAt: Date.now(),
});

test('chat settings show unit, range and explanation, and are saved; a bad value is refused', async ({
  page,
}) => {
  await open(page);
  const cooldown = setting(page, 'chat.viewerCooldownSeconds');
  await expect(cooldown).toContainText('Viewer cooldown');
  await expect(cooldown).toContainText('(s)');
  await expect(cooldown).toContainText('Range 0–3600');
  await expect(cooldown).toContainText('before another of that viewer');

  const channel = setting(page, 'chat.twitchChannel').getByRole('textbox');
  await channel.fill('KiyoStream');
  await channel.press('Enter');
  await expect(setting(page, 'chat.twitchChannel').getByRole('status')).toHaveText(
    'Saved. Applies from the next reply.',
  );
  expect(host.service.getSettings().chat.twitchChannel).toBe('KiyoStream');
  expect(host.saved.at(-1)?.chat.twitchChannel).toBe('KiyoStream');

  await setting(page, 'chat.streamerFirst').getByRole('combobox').selectOption('wait');
  await expect.poll(() => host.saved.at(-1)?.chat.streamerFirst).toBe('wait');

  const saves = host.saved.length;
  await channel.fill('not a channel');
  await channel.press('Enter');
  await expect(setting(page, 'chat.twitchChannel').getByRole('alert')).toContainText(
    'a Twitch channel name has only letters, digits and _',
  );
  expect(host.saved.length).toBe(saves);
});

test('the panel lists the queue; skip, answer now and pause reach the coordinator', async ({ page }) => {
  coordinator.setPaused(true);
  coordinator.accept(message('amy', '@Kiyo first question'));
  coordinator.accept(message('bob', '!ask second question'));
  coordinator.accept(message('eve', 'Kiyo buy at https://spam.example now'));
  await open(page);
  const queued = page.getByTestId('chat-queued');
  await expect(queued).toHaveCount(3);
  await expect(queued.first()).toContainText('amy');
  await expect(queued.nth(1)).toContainText('second question');
  await expect(queued.nth(2)).toContainText('Kiyo buy at (link) now');
  await expect(page.getByLabel('Pause chat answers')).toBeChecked();

  await queued.nth(0).getByRole('button', { name: 'Skip' }).click();
  await expect(queued).toHaveCount(2);
  await expect(page.getByTestId('chat-drop-counts')).toContainText('1 — skipped by the streamer');

  await queued.nth(1).getByRole('button', { name: 'Answer now' }).click();
  await expect.poll(() => said.at(-1)).toMatchObject({ kind: 'chat', viewer: 'eve' });
  await expect(queued).toHaveCount(1);

  // The box follows main's state (set when main answers), so click and wait for it.
  await page.getByLabel('Pause chat answers').click();
  await expect(page.getByLabel('Pause chat answers')).not.toBeChecked();
  await expect.poll(() => coordinator.state().paused).toBe(false);
  // Main says the state changed (its throttled notification): the page reads it again.
  await page.evaluate(() => (window as unknown as { __kiyoChatChanged: () => void }).__kiyoChatChanged());
  await expect(page.getByTestId('chat-answering')).toContainText('eve');
});
