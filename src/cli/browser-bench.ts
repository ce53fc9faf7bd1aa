/**
 * Player latency in Chromium: npm run bench:browser -- [--turns 20] [--json]
 *
 * Serves the built overlay (run `npm run build` first) in browser mode against the fake
 * upstreams, runs turns, and reports the time from the first audio chunk's arrival in the page to
 * its first sample at the audio output (the player's share of "first audible sample").
 * Target: p50 ≤ 30 ms.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, resolveChromium } from '../fakes/chromium';
import { FakeEdgeTtsServer } from '../fakes/fake-edge-tts-server';
import { FakeOpenAiServer } from '../fakes/fake-openai-server';
import { BENCH_REPLIES, PROFILES } from '../fakes/profiles';
import { dispatchClientMessage } from '../main/browser-mode/dispatch-client-message';
import { OverlayServer } from '../main/browser-mode/overlay-server';
import { createLogger } from '../main/pipeline/logger';
import { TurnRunner } from '../main/pipeline/turn-runner';
import { percentile } from '../shared/stats';
import { fakeConversation } from './fake-conversation';

const { values } = parseArgs({
  options: { turns: { type: 'string', default: '20' }, json: { type: 'boolean', default: false } },
});
const turns = Math.max(1, Number(values.turns));
const root = resolve('out/renderer');
if (!existsSync(resolve(root, 'index.html'))) {
  console.error('Build the overlay first: npm run build');
  process.exit(2);
}

const logger = createLogger({ level: 'warn' });
const llm = await FakeOpenAiServer.start({ ...PROFILES.realistic.llm, replies: BENCH_REPLIES });
const tts = await FakeEdgeTtsServer.start(PROFILES.realistic.tts);
const conversation = fakeConversation(
  { llmBaseUrl: llm.url, ttsEndpoint: tts.url },
  { character: { historyMaxMessages: 0 } },
);
const sink: { server?: OverlayServer } = {};
let turnEnds = 0;
const runner = new TurnRunner(
  conversation,
  (event) => {
    if (event.type === 'turn-end') turnEnds++;
    sink.server?.publish(event);
  },
  logger,
);
const server = await OverlayServer.start({
  root,
  logger,
  onMessage: (m) => dispatchClientMessage(m, runner),
});
sink.server = server;

const browserBinary = await resolveChromium();
console.error(`Chromium: ${browserBinary.path} (${browserBinary.source})`);
const browser = await chromium.launch({
  executablePath: browserBinary.path,
  args: CHROMIUM_ARGS,
});
const page = await browser.newPage();
await page.goto(server.url);
await page.waitForFunction(
  () => (window as unknown as { __kiyo?: { modelLoaded: boolean } }).__kiyo?.modelLoaded,
  null,
  {
    timeout: 30_000,
  },
);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const warmup = 3;
for (let i = 0; i < warmup + turns; i++) {
  const before = turnEnds;
  await page.getByLabel('Say something to Kiyo').fill(`turn ${i}`);
  await page.getByLabel('Say something to Kiyo').press('Enter');
  while (turnEnds === before) await sleep(20);
  while (
    (await page.evaluate(
      () => (window as unknown as { __kiyo: { activeSources: number } }).__kiyo.activeSources,
    )) > 0
  ) {
    await sleep(50);
  }
}
const reports = await page.evaluate(
  () => (window as unknown as { __kiyo: { firstSamples: { afterChunkMs: number }[] } }).__kiyo.firstSamples,
);
const marks = runner.recentLatency().slice(-turns);
const after = reports.slice(-turns).map((r) => r.afterChunkMs);
const played = marks.map((m) => m.firstSamplePlayed).filter((v): v is number => v !== undefined);

const result = {
  playerFirstSampleP50Ms: percentile(after, 50),
  playerFirstSampleP95Ms: percentile(after, 95),
  firstSamplePlayedP50Ms: percentile(played, 50),
  turns: after.length,
};
const out = values.json ? console.error : console.log;
out(`Chromium player, ${result.turns} turns (realistic upstreams):`);
out(
  `  first audio chunk received → first sample at the output: p50 ${result.playerFirstSampleP50Ms} ms, p95 ${result.playerFirstSampleP95Ms} ms`,
);
out(`  Enter → first sample played: p50 ${result.firstSamplePlayedP50Ms} ms`);
out(`target: ${result.playerFirstSampleP50Ms <= 30 ? '✓' : '✗'} p50 ≤ 30 ms`);
if (values.json) console.log(JSON.stringify(result));

await browser.close();
await runner.cancel();
conversation.close();
await server.close();
await llm.close();
await tts.close();
