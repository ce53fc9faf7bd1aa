import { chromium, expect, test, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, resolveChromium } from '../../src/fakes/chromium';
import { startOverlayHost, type OverlayHost } from './overlay-host';

/**
 * What an audience sees: the OBS/browser page in an error state (Edge down, the LLM unreachable,
 * a rejected key) shows the avatar and subtitles only, while the desktop overlay says what is
 * wrong in short words and the technical detail stays in main.
 */

const EDGE_DOWN = 'ws://127.0.0.1:9/edge';
const LLM_DOWN = 'http://127.0.0.1:9/v1';
/** Text that must never reach an audience (nor, in the DOM, the desktop overlay). */
const TECHNICAL = /ECONNREFUSED|127\.0\.0\.1|HTTP \d|code=|Error:|llm-|tts-|\bat \w+ \(/;

let host: OverlayHost;
test.beforeAll(async () => {
  host = await startOverlayHost({}, { edgeEndpoint: EDGE_DOWN });
});
test.afterAll(async () => {
  await host.close();
});

/** The page's read-only debug numbers (src/renderer/src/overlay/debug-hook.ts). */
const modelLoaded = (page: Page) =>
  page.evaluate(() => (window as unknown as { __kiyo?: { modelLoaded: boolean } }).__kiyo?.modelLoaded);

async function open(page: Page, kind: 'stream' | 'desktop'): Promise<void> {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  if (kind === 'desktop') await host.attachDesktop(page);
  await page.goto(host.url);
  await expect.poll(() => modelLoaded(page), { timeout: 30_000 }).toBe(true);
  expect(problems).toEqual([]);
}

/** Runs a turn from the app's side (as if typed in the desktop overlay); resolves with its events. */
async function turn(text: string) {
  const turnId = await host.runner.say(text);
  await expect
    .poll(() => host.events.some((e) => e.type === 'turn-end' && e.turnId === turnId), { timeout: 30_000 })
    .toBe(true);
  return host.events.filter((e) => e.turnId === turnId);
}

function setLlmBaseUrl(baseUrl: string): void {
  const settings = host.conversation.currentSettings;
  host.conversation.updateSettings({ ...settings, llm: { ...settings.llm, baseUrl } });
}

/** Every element of the page a viewer could see, as tag#id.class. */
function visibleElements(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.body.querySelectorAll('*')]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && Number(style.opacity) > 0;
      })
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${el.className}` : ''}`,
      ),
  );
}

test('in an error state the OBS page shows only the avatar and subtitles; the desktop says what is wrong', async ({
  browser,
}) => {
  const obs = await browser.newPage();
  const desktop = await browser.newPage();
  await open(obs, 'stream');
  await open(desktop, 'desktop');
  host.setOverlayState({ chatInputVisible: true, subtitles: true, streamStatus: false });

  // 1. Edge is down: the offline voice speaks, and says so.
  host.fakes.llm.setReplies(['Hello there! My usual voice is away, but I can still talk to you.']);
  const offline = await turn('hello');
  const notice = offline.find((e) => e.type === 'notice');
  expect(notice).toMatchObject({ code: 'tts-offline', message: expect.stringMatching(/ECONNREFUSED/) });
  await expect(desktop.getByTestId('notice')).toHaveText(
    "Kiyo can't reach her usual voice, so she is using a backup voice for now.",
  );

  // 2. The LLM cannot be reached.
  setLlmBaseUrl(LLM_DOWN);
  const unreachable = await turn('are you there?');
  setLlmBaseUrl(host.fakes.llm.url);
  expect(unreachable.find((e) => e.type === 'error')).toMatchObject({
    code: 'llm-connection',
    message: expect.stringMatching(/127\.0\.0\.1:9/),
  });
  await expect(desktop.getByRole('alert')).toHaveText(
    "The language model didn't answer — check Preferences → LLM.",
  );

  // 3. Another error: the key is rejected.
  host.fakes.llm.faults.push('http-401');
  const rejected = await turn('hi again');
  expect(rejected.find((e) => e.type === 'error')).toMatchObject({ code: 'llm-auth' });
  await expect(desktop.getByRole('alert')).toHaveText(
    'The language model refused the API key — check Preferences → LLM.',
  );
  // The desktop keeps its input; nothing technical is in its DOM either.
  await expect(desktop.getByLabel('Say something to Kiyo')).toBeVisible();
  expect(await desktop.locator('body').innerText()).not.toMatch(TECHNICAL);
  // The detail is in main, for Preferences → Advanced.
  const details = host.problems.list().map((p) => p.detail);
  expect(details.some((d) => d.includes('ECONNREFUSED'))).toBe(true);
  expect(details.some((d) => d.includes('HTTP 401'))).toBe(true);

  // One more turn: events reach a page in order, so once the OBS page shows its subtitle it has
  // had every error and notice above. It shows subtitles (it is alive), and nothing else.
  host.fakes.llm.setReplies(['Still here, still talking, with my offline voice for now.']);
  const last = host.runner.say('still there?');
  await expect(obs.getByTestId('subtitle')).toBeVisible({ timeout: 30_000 });
  const shown = await obs.evaluate(() => ({
    text: document.body.innerText.trim(),
    subtitle: document.querySelector('[data-testid="subtitle"]')?.textContent ?? '',
  }));
  expect(shown.text).toBe(shown.subtitle.trim());
  const visible = await visibleElements(obs);
  expect(visible).toContain('canvas');
  for (const element of visible) {
    expect(['div#root', 'div.overlay stream', 'div.stage', 'canvas', 'p.subtitle']).toContain(element);
  }
  await expect(obs.getByRole('textbox')).toHaveCount(0);
  await expect(obs.getByRole('button')).toHaveCount(0);
  await expect(obs.getByRole('alert')).toHaveCount(0);
  await expect(obs.getByRole('status')).toHaveCount(0);
  await last;
  await host.runner.cancel();
  await obs.close();
  await desktop.close();
});

test('with the friendly status turned on, the OBS page says a short friendly line, never why', async ({
  page,
}) => {
  await open(page, 'stream');
  host.setOverlayState({ streamStatus: true });
  host.fakes.llm.faults.push('http-401');
  const events = await turn('hi');
  expect(events.find((e) => e.type === 'error')).toMatchObject({ code: 'llm-auth' });
  await expect(page.getByTestId('stream-status')).toHaveText('Kiyo is taking a short break.');
  expect(await page.locator('body').innerText()).toBe('Kiyo is taking a short break.');
  await expect(page.getByRole('alert')).toHaveCount(0);
  host.setOverlayState({ streamStatus: false });
  await expect(page.getByTestId('stream-status')).toHaveCount(0);
});

test('a plain browser that blocks sound gets a small speaker in the corner, only while it is blocked', async () => {
  // Chromium as a browser is by default: sound only after a click (OBS, and the other tests, allow it).
  const args = CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--autoplay-policy'));
  const browser = await chromium.launch({
    executablePath: (await resolveChromium()).path,
    args: [...args, '--autoplay-policy=document-user-activation-required'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 400, height: 600 } });
    await open(page, 'stream');
    // The fault: the browser really holds the sound back.
    expect(
      await page.evaluate(() => (window as unknown as { __kiyo: { audioState: string } }).__kiyo.audioState),
    ).toBe('suspended');
    const speaker = page.getByRole('button', { name: 'Enable sound' });
    await expect(speaker).toBeVisible();
    const box = (await speaker.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(32);
    expect(box.x).toBeGreaterThan(400 / 2); // in a corner, not across the avatar
    expect(box.y).toBeGreaterThan(600 / 2);
    await expect(page.getByText('Click to enable sound')).toHaveCount(0);
    await speaker.click();
    await expect(speaker).toHaveCount(0);
    expect(
      await page.evaluate(() => (window as unknown as { __kiyo: { audioState: string } }).__kiyo.audioState),
    ).toBe('running');
  } finally {
    await browser.close();
  }
});
