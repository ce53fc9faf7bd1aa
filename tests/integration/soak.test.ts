import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TtsFault } from '../../src/fakes/fake-edge-tts-server';
import type { LlmFault } from '../../src/fakes/fake-openai-server';
import { Conversation } from '../../src/main/pipeline/conversation';
import { EdgeTtsEngine } from '../../src/main/pipeline/tts/edge-tts-engine';
import { FallbackTtsEngine } from '../../src/main/pipeline/tts/fallback-tts-engine';
import { OfflineTtsEngine } from '../../src/main/pipeline/tts/offline-tts-engine';
import type { PipelineEvent } from '../../src/shared/pipeline-events';
import { parsePipelineSettings } from '../../src/shared/settings';
import { startFakes, testLogger, type Fakes } from '../helpers/pipeline-fixture';

const TURNS = Number(process.env.KIYO_SOAK_TURNS ?? 500);
const LLM_FAULTS: LlmFault[] = [
  'http-500',
  'http-429',
  'early-close',
  'malformed-chunk',
  'no-finish',
  'http-401',
  'stall-mid-stream',
];
const TTS_FAULTS: TtsFault[] = ['drop-mid-stream', 'close-on-request'];

let fakes: Fakes;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(async () => {
  fakes = await startFakes(
    {
      ttftMs: 0,
      tokensPerSecond: 5000,
      replies: ['Sure, here you go. A short reply, with two sentences.', 'Hmm, let me think. Okay, done!'],
    },
    { ttfbMs: 0, realtimeFactor: 0 },
  );
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await fakes.close();
});

/** Deterministic, so a failing run can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => (state = (state * 16807) % 2147483647) / 2147483647;
}

it(
  `${TURNS} turns with random faults and interruptions: no crash, every turn ends, heap and history stay bounded`,
  { timeout: 240_000 },
  async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const settings = parsePipelineSettings({
      llm: { baseUrl: fakes.llm.url, model: 'kiyo-fake', maxRetries: 1, stallTimeoutMs: 1000 },
      tts: { warmConnections: 1, timeoutMs: 1000 },
      character: { historyMaxMessages: 10 },
    });
    const logger = testLogger();
    const tts = new FallbackTtsEngine(
      new EdgeTtsEngine(settings.tts, logger, fakes.tts.url),
      new OfflineTtsEngine(settings.tts),
      logger,
      200,
    );
    const conversation = new Conversation({ settings, logger, tts });
    const rand = random(42);
    const outcomes = { complete: 0, cancelled: 0, error: 0 };
    let baseline = 0;

    for (let i = 0; i < TURNS; i++) {
      if (rand() < 0.12) fakes.llm.faults.push(LLM_FAULTS[Math.floor(rand() * LLM_FAULTS.length)]!);
      if (rand() < 0.12) fakes.tts.faults.push(TTS_FAULTS[Math.floor(rand() * TTS_FAULTS.length)]!);
      const cancelAfter = rand() < 0.1 ? Math.floor(rand() * 12) : -1;
      const controller = new AbortController();
      const events: PipelineEvent[] = [];
      for await (const event of conversation.runTurn(`turn ${i}`, { signal: controller.signal })) {
        events.push(event);
        if (events.length === cancelAfter) controller.abort();
      }
      const end = events.at(-1);
      expect(end?.type, `turn ${i} ended with ${end?.type}`).toBe('turn-end');
      if (end?.type === 'turn-end') outcomes[end.reason]++;
      expect(events.filter((e) => e.type === 'turn-end')).toHaveLength(1);
      if (end?.type === 'turn-end' && end.reason === 'error')
        expect(events.some((e) => e.type === 'error')).toBe(true);

      const history = conversation.history.snapshot();
      expect(history.length).toBeLessThanOrEqual(10);
      history.forEach((m, k) => expect(m.role).toBe(k % 2 === 0 ? 'user' : 'assistant'));
      if (i === 99) {
        gc();
        baseline = process.memoryUsage().heapUsed;
      }
    }
    fakes.llm.faults.length = 0;
    fakes.tts.faults.length = 0;
    gc();
    const growthMb = (process.memoryUsage().heapUsed - baseline) / 2 ** 20;
    conversation.close();

    expect(unhandled).toEqual([]);
    expect(outcomes.complete).toBeGreaterThan(TURNS * 0.6);
    expect(outcomes.error + outcomes.cancelled).toBeGreaterThan(0);
    expect(growthMb).toBeLessThan(10);
  },
);
