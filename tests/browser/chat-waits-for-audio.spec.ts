import { expect, test, type Page } from '@playwright/test';
import { ChatService } from '../../src/main/chat/chat-service';
import { AudioDuration } from '../../src/main/pipeline/audio-duration';
import type { IncomingChatMessage } from '../../src/shared/chat';
import type { PipelineEvent } from '../../src/shared/pipeline-events';
import { parsePipelineSettings } from '../../src/shared/settings';
import { testLogger } from '../helpers/pipeline-fixture';
import { startOverlayHost, type OverlayHost } from './overlay-host';

/**
 * A chat answer never cuts Kiyo off: main delivers a reply's audio several times faster than the
 * page plays it, so a viewer's mention often arrives when the reply has ended in main but is
 * still being heard. The answer must wait until the page reports the reply played to its end;
 * the page's `turn-start` handler stops whatever is still playing.
 */

interface SourceRecord {
  duration: number;
  stopped: boolean;
  ended: boolean;
}
interface PageWindow {
  __sources: SourceRecord[];
  __kiyo?: { modelLoaded: boolean; activeSources: number };
}

let host: OverlayHost;
let chat: ChatService;
const built: { chat?: ChatService } = {};
/** What the page reported to the runner, in order, with the chat answer's start among them. */
const timeline: string[] = [];

test.beforeAll(async () => {
  host = await startOverlayHost(
    {},
    {
      observe: (event) => {
        if (event.type === 'turn-start') timeline.push(`turn-start ${event.source?.kind ?? 'typed'}`);
        built.chat?.observe(event);
      },
    },
  );
  const { runner } = host;
  const finished = runner.playbackFinished.bind(runner);
  runner.playbackFinished = (turnId) => {
    timeline.push(`finished ${turnId}`);
    finished(turnId);
  };
  const stopped = runner.playbackStopped.bind(runner);
  runner.playbackStopped = (turnId, segments) => {
    timeline.push(`stopped ${turnId}`);
    stopped(turnId, segments);
  };
  chat = new ChatService({
    settings: parsePipelineSettings({
      chat: { enabled: true, streamerQuietSeconds: 0, viewerCooldownSeconds: 0 },
    }),
    runner,
    logger: testLogger(),
    localToken: 'local-token-123456',
  });
  built.chat = chat;
});
test.afterAll(async () => {
  chat.close();
  await host.close();
});

/** Every audio source the page's player starts, and whether it ended by itself or was stopped. */
async function recordSources(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const sources: SourceRecord[] = [];
    (window as unknown as PageWindow).__sources = sources;
    const { start, stop } = AudioBufferSourceNode.prototype;
    AudioBufferSourceNode.prototype.start = function (this: AudioBufferSourceNode, ...args: number[]) {
      const record = { duration: this.buffer?.duration ?? 0, stopped: false, ended: false };
      sources.push(record);
      this.addEventListener('ended', () => (record.ended = true));
      (this as unknown as { __record: SourceRecord }).__record = record;
      return start.apply(this, args as [number?, number?, number?]);
    };
    AudioBufferSourceNode.prototype.stop = function (this: AudioBufferSourceNode, when?: number) {
      const record = (this as unknown as { __record?: SourceRecord }).__record;
      if (record && !record.ended) record.stopped = true;
      return stop.call(this, when);
    };
  });
}

const pageState = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as PageWindow;
    return {
      activeSources: w.__kiyo?.activeSources ?? 0,
      stopped: w.__sources.filter((s) => s.stopped).length,
      heardSeconds: w.__sources.filter((s) => s.ended && !s.stopped).reduce((t, s) => t + s.duration, 0),
    };
  });

/** Seconds of audio main delivered for `turnId`, measured as the player will decode it. */
function deliveredSeconds(events: PipelineEvent[], turnId: string): number {
  const duration = new AudioDuration();
  let ms = 0;
  for (const e of events) if (e.type === 'audio' && e.turnId === turnId) ms += duration.add(e.data, e.format);
  return (ms + duration.flush()) / 1000;
}

const mention = (text: string): IncomingChatMessage => ({
  platform: 'local',
  viewer: 'Amy',
  viewerId: 'amy',
  text,
  moderator: false,
  subscriber: false,
  bits: 0,
  priority: 0,
  receivedAt: Date.now(),
});

test("a viewer's mention that arrives while a long reply is still playing is answered after it has played to its end", async ({
  page,
}) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await recordSources(page);
  await page.goto(host.url);
  await expect
    .poll(() => page.evaluate(() => (window as unknown as PageWindow).__kiyo?.modelLoaded), {
      timeout: 30_000,
    })
    .toBe(true);

  host.fakes.llm.setReplies([
    'Once upon a time, a small fox lived at the edge of a quiet forest. Every morning she walked to the river to watch the fish. ' +
      'One day she found a shiny stone that sang when the wind blew over it. She carried it home and kept it by her bed. ' +
      'At night the stone hummed softly, and the fox dreamed of faraway mountains. In the spring she finally set out to see them.',
    'Rice crackers, crunchy and salty!',
  ]);
  const streamerTurn = await host.runner.say('Tell me a story, please.');

  // The fault's precondition: the reply has ended in main (all its audio delivered), and the page
  // is still playing it.
  await expect
    .poll(() => host.events.some((e) => e.type === 'turn-end' && e.turnId === streamerTurn), {
      timeout: 60_000,
    })
    .toBe(true);
  expect((await pageState(page)).activeSources).toBeGreaterThan(0);
  const replySeconds = deliveredSeconds(host.events, streamerTurn);

  chat.coordinator.accept(mention('@Kiyo what is your favourite snack?'));
  // The fault: a viewer's question is waiting while Kiyo is still audible; before this change it
  // started at once and the page cut the reply.
  const waiting = chat.state();
  expect(waiting.queue.map((m) => m.viewer)).toEqual(['Amy']);
  expect(waiting.answering).toBeUndefined();
  expect((await pageState(page)).activeSources).toBeGreaterThan(0);

  // The answer starts, only once the page said the reply played to its end.
  await expect.poll(() => timeline.includes('turn-start chat'), { timeout: 60_000 }).toBe(true);
  const heard = await pageState(page);
  const upToAnswer = timeline.slice(0, timeline.indexOf('turn-start chat') + 1);
  expect(upToAnswer).toEqual(['turn-start typed', `finished ${streamerTurn}`, 'turn-start chat']);
  // Every source of the reply played to its end, none was stopped: all of its audio was heard
  // (within the MP3 decoder's start-up frames).
  expect(heard.stopped).toBe(0);
  expect(heard.heardSeconds).toBeGreaterThan(replySeconds * 0.95);
  expect(host.logs.some((l) => l.includes(`${streamerTurn}: no longer audible (reported)`))).toBe(true);
  expect(problems).toEqual([]);
});

test("streamer first 'wait': the streamer's input while a chat answer is still playing is taken once it has played to its end", async ({
  page,
}) => {
  timeline.length = 0;
  chat.updateSettings(
    parsePipelineSettings({
      chat: { enabled: true, streamerQuietSeconds: 0, viewerCooldownSeconds: 0, streamerFirst: 'wait' },
    }),
  );
  await recordSources(page);
  await page.goto(host.url);
  await expect
    .poll(() => page.evaluate(() => (window as unknown as PageWindow).__kiyo?.modelLoaded), {
      timeout: 30_000,
    })
    .toBe(true);

  host.fakes.llm.setReplies([
    'My favourite snack is rice crackers, crunchy and salty. I also like sweet red bean buns a lot. ' +
      'On cold days a warm bowl of noodles is the best thing there is. And in summer, cold watermelon by the river.',
    'I am right here!',
  ]);
  chat.coordinator.accept(mention('@Kiyo and what do you eat in summer?'));
  expect(chat.state().dropCounts).toEqual({});
  await expect.poll(() => timeline.includes('turn-start chat'), { timeout: 30_000 }).toBe(true);
  // The answer this test asked for: the latest chat turn.
  const answer = host.events.findLast((e) => e.type === 'turn-start' && e.source?.kind === 'chat');
  expect(answer).toBeDefined();
  const answerTurn = answer!.turnId;
  await expect
    .poll(() => host.events.some((e) => e.type === 'turn-end' && e.turnId === answerTurn), {
      timeout: 60_000,
    })
    .toBe(true);
  const answerSeconds = deliveredSeconds(host.events, answerTurn);

  // The fault's condition: the streamer speaks up while the answer is still being heard.
  expect((await pageState(page)).activeSources).toBeGreaterThan(0);
  const streamer = host.runner.say('Kiyo, over here!');

  await streamer;
  const heard = await pageState(page);
  const upToStreamer = timeline.slice(0, timeline.indexOf('turn-start typed') + 1);
  expect(upToStreamer).toEqual(['turn-start chat', `finished ${answerTurn}`, 'turn-start typed']);
  expect(heard.stopped).toBe(0);
  expect(heard.heardSeconds).toBeGreaterThan(answerSeconds * 0.95);
});
