import { expect, test, type Page } from '@playwright/test';
import { FakeTwitchChatServer } from '../../src/fakes/fake-twitch-chat-server';
import { ChatService } from '../../src/main/chat/chat-service';
import { parsePipelineSettings } from '../../src/shared/settings';
import { testLogger } from '../helpers/pipeline-fixture';
import { startOverlayHost, type OverlayHost } from './overlay-host';

/**
 * On stream: a viewer's mention in (fake) Twitch chat is answered aloud, and the OBS page shows
 * "@name: message" above the subtitles while it is, then hides it. The prompt Kiyo gives the
 * model (the viewer framing) never reaches the page.
 */

let host: OverlayHost;
let twitch: FakeTwitchChatServer;
let chat: ChatService;
const built: { chat?: ChatService } = {};

test.beforeAll(async () => {
  twitch = await FakeTwitchChatServer.start();
  host = await startOverlayHost({}, { observe: (event) => built.chat?.observe(event) });
  const settings = parsePipelineSettings({
    chat: {
      enabled: true,
      twitchChannel: 'kiyostream',
      twitchServer: twitch.url,
      streamerQuietSeconds: 0,
    },
  });
  chat = new ChatService({
    settings,
    runner: host.runner,
    logger: testLogger(),
    localToken: 'local-token-123456',
  });
  built.chat = chat;
});
test.afterAll(async () => {
  chat.close();
  await host.close();
  await twitch.close();
});

const modelLoaded = (page: Page) =>
  page.evaluate(() => (window as unknown as { __kiyo?: { modelLoaded: boolean } }).__kiyo?.modelLoaded);

test('the OBS page shows the question being answered above the subtitles, then hides it', async ({
  page,
}) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(host.url);
  await expect.poll(() => modelLoaded(page), { timeout: 30_000 }).toBe(true);
  host.setOverlayState({ subtitles: true, streamStatus: false });
  await expect.poll(() => chat.state().twitch.state, { timeout: 15_000 }).toBe('connected');

  host.fakes.llm.setReplies([
    'Hello Amy! My favourite snack is rice crackers, crunchy and salty. I also like sweet red bean buns. And on cold days, a warm bowl of noodles is the best.',
  ]);
  twitch.message('kiyostream', {
    login: 'amy',
    displayName: 'Amy',
    text: '@Kiyo what is your favourite snack?',
  });

  const question = page.getByTestId('chat-question');
  await expect(question).toBeVisible({ timeout: 30_000 });
  await expect(question).toHaveText('@Amy: @Kiyo what is your favourite snack?');
  // Above the subtitles while both show (read in one go, as the page lays them out).
  const layout = () =>
    page.evaluate(() => {
      const q = document.querySelector('[data-testid="chat-question"]')?.getBoundingClientRect();
      const s = document.querySelector('[data-testid="subtitle"]')?.getBoundingClientRect();
      return q && s ? { questionBottom: q.bottom, subtitleTop: s.top } : undefined;
    });
  await expect
    .poll(
      async () => {
        const both = await layout();
        return both !== undefined && both.questionBottom <= both.subtitleTop;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  // The model's framing of the viewer's words is not for the audience.
  expect(await page.locator('body').innerText()).not.toMatch(/viewer message|not instructions/);

  // The answer ends (the turn in main, then its audio on the page): the question goes, not
  // before the last subtitle has gone too.
  await expect.poll(() => host.events.some((e) => e.type === 'turn-end'), { timeout: 30_000 }).toBe(true);
  await expect(question).toBeHidden({ timeout: 30_000 });
  await expect(page.getByTestId('subtitle')).toBeHidden();
  expect(problems).toEqual([]);
});
