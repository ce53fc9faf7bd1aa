import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TtsFault } from '../../src/fakes/fake-edge-tts-server';
import type { LlmFault } from '../../src/fakes/fake-openai-server';
import { speak } from '../../src/fakes/fake-speech';
import { Conversation } from '../../src/main/pipeline/conversation';
import { EdgeTtsEngine } from '../../src/main/pipeline/tts/edge-tts-engine';
import { FallbackTtsEngine } from '../../src/main/pipeline/tts/fallback-tts-engine';
import { OfflineTtsEngine } from '../../src/main/pipeline/tts/offline-tts-engine';
import type { PipelineEvent } from '../../src/shared/pipeline-events';
import { parsePipelineSettings } from '../../src/shared/settings';
import { LLM_FAULT_CODES, repeatedRequests, TTS_RETRY_LOG } from '../helpers/fault-evidence';
import {
  assertEventOrder,
  audioOf,
  collect,
  ofType,
  startFakes,
  testLogger,
  type Fakes,
} from '../helpers/pipeline-fixture';

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

const REPLIES = ['Sure, here you go. A short reply, with two sentences.', 'Hmm, let me think. Okay, done!'];

let fakes: Fakes;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(async () => {
  fakes = await startFakes(
    {
      ttftMs: 0,
      tokensPerSecond: 5000,
      replies: REPLIES,
    },
    { ttfbMs: 0, realtimeFactor: 0 },
  );
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
  await fakes.close();
});

/** Deterministic, so a failing run can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => (state = (state * 16807) % 2147483647) / 2147483647;
}

type Plan =
  | { kind: 'clean' }
  | { kind: 'llm-fault'; fault: LlmFault }
  | { kind: 'tts-fault'; fault: TtsFault }
  | { kind: 'cancel'; afterEvents: number };

/**
 * What the next turn does. No TTS fault right after a turn that was cut short: a clause aborted
 * just as its request went out may reach the fake a moment into the next turn and take its fault.
 */
function plan(rand: () => number, previousCutShort: boolean): Plan {
  const roll = rand();
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]!;
  if (roll < 0.12) return { kind: 'llm-fault', fault: pick(LLM_FAULTS) };
  if (roll < 0.24)
    return previousCutShort ? { kind: 'clean' } : { kind: 'tts-fault', fault: pick(TTS_FAULTS) };
  if (roll < 0.34) return { kind: 'cancel', afterEvents: 1 + Math.floor(rand() * 12) };
  return { kind: 'clean' };
}

/** Every segment that finished playing carried exactly the audio the fake synthesised for its text. */
async function expectSpokenAudio(events: PipelineEvent[], turn: number): Promise<number> {
  const finished = new Set(ofType(events, 'segment-end').map((e) => e.index));
  let checked = 0;
  for (const segment of ofType(events, 'segment')) {
    if (!finished.has(segment.index)) continue;
    const expected = Buffer.from((await speak(segment.spokenText)).mp3);
    const heard = audioOf(events, segment.index);
    expect(heard.length, `turn ${turn} segment ${segment.index}: no audio`).toBeGreaterThan(0);
    expect(
      heard.equals(expected),
      `turn ${turn} segment ${segment.index}: audio differs from "${segment.spokenText}"`,
    ).toBe(true);
    checked++;
  }
  return checked;
}

it(
  `${TURNS} turns with random faults and interruptions: every turn ends as its fault says, audio is what was said, heap and history stay bounded`,
  { timeout: 300_000 },
  async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const settings = parsePipelineSettings({
      // No LLM retries: every fault the fake fires must surface as that turn's error.
      llm: { baseUrl: fakes.llm.url, model: 'kiyo-fake', maxRetries: 0, stallTimeoutMs: 1000 },
      // Generous: this soak is about faults the fakes inject, not a loaded machine's slowness.
      tts: { providers: { edge: { warmConnections: 1, timeoutMs: 15_000 } } },
      character: { historyMaxMessages: 10 },
    });
    const lines: string[] = [];
    const logger = testLogger(lines);
    const tts = new FallbackTtsEngine(
      [
        {
          label: 'Edge voice',
          engine: new EdgeTtsEngine(settings.tts.providers.edge, logger, fakes.tts.url),
        },
        { label: 'offline voice', engine: new OfflineTtsEngine(settings.tts.providers.offline) },
      ],
      logger,
      200,
    );
    const conversation = new Conversation({ settings, logger, tts });
    // The fake synthesises each text once (its speech engine starts on first use): one turn per
    // scripted reply first, so every later turn finds its clauses ready.
    for (const _reply of REPLIES) {
      const warmUp = await collect(conversation.runTurn('warm up'));
      expect(ofType(warmUp, 'turn-end')[0]!.reason).toBe('complete');
    }
    lines.length = 0;
    const rand = random(42);
    const outcomes = { complete: 0, cancelled: 0, error: 0 };
    const injected = { llm: 0, tts: 0 };
    const fired = { llm: 0, tts: 0 };
    let segmentsChecked = 0;
    let baseline = 0;
    let cutShort = false;

    for (let i = 0; i < TURNS; i++) {
      const turn = plan(rand, cutShort);
      const llmRequests = fakes.llm.requests.length;
      const ttsRequests = fakes.tts.requests.length;
      const retriesLogged = lines.filter((l) => TTS_RETRY_LOG.test(l)).length;
      if (turn.kind === 'llm-fault') {
        fakes.llm.faults.push(turn.fault);
        injected.llm++;
      }
      if (turn.kind === 'tts-fault') {
        fakes.tts.faults.push(turn.fault);
        injected.tts++;
      }
      const controller = new AbortController();
      const events: PipelineEvent[] = [];
      for await (const event of conversation.runTurn(`turn ${i}`, { signal: controller.signal })) {
        events.push(event);
        if (turn.kind === 'cancel' && events.length === turn.afterEvents) controller.abort();
      }
      assertEventOrder(events);
      const end = ofType(events, 'turn-end')[0]!;
      outcomes[end.reason]++;
      cutShort = end.reason !== 'complete';
      const errors = ofType(events, 'error');
      const context = `turn ${i} (${JSON.stringify(turn)}) ended ${end.reason} ${JSON.stringify(errors)}; Edge asked for ${JSON.stringify(fakes.tts.requests.slice(ttsRequests).map((r) => r.text))}`;
      // Nothing falls back to the offline voice: every TTS fault is one the Edge engine recovers from.
      expect(ofType(events, 'notice'), context).toEqual([]);
      // One request per turn (none when cancelled before it went out): no hidden retries.
      if (turn.kind !== 'cancel') expect(fakes.llm.requests.length, context).toBe(llmRequests + 1);
      else expect(fakes.llm.requests.length, context).toBeLessThanOrEqual(llmRequests + 1);

      if (turn.kind === 'llm-fault') {
        // The fault fired at the fake (its request took it) and the turn reports exactly it.
        expect(fakes.llm.faults, context).toEqual([]);
        fired.llm++;
        expect(end.reason, context).toBe('error');
        expect(
          errors.map((e) => e.code),
          context,
        ).toEqual([LLM_FAULT_CODES[turn.fault]]);
      } else if (turn.kind === 'cancel' && controller.signal.aborted) {
        expect(end.reason, context).toBe('cancelled');
        expect(errors, context).toEqual([]);
      } else {
        expect(end.reason, context).toBe('complete');
        expect(errors, context).toEqual([]);
        expect(ofType(events, 'segment').length, context).toBeGreaterThan(0);
        expect(ofType(events, 'segment-end').length, context).toBe(ofType(events, 'segment').length);
      }

      const retries = lines.filter((l) => TTS_RETRY_LOG.test(l)).length - retriesLogged;
      const repeated = repeatedRequests(fakes.tts, ttsRequests);
      if (turn.kind === 'tts-fault') {
        // Fired at the fake: it took the fault, and the clause it failed was asked for again.
        expect(fakes.tts.faults, context).toEqual([]);
        expect(repeated, context).toHaveLength(1);
        // Reported as such: the engine logged one retry, and the clause was still heard whole.
        expect(retries, context).toBe(1);
        fired.tts++;
      } else if (turn.kind !== 'cancel') {
        expect(repeated, context).toEqual([]);
        expect(retries, context).toBe(0);
      }
      segmentsChecked += await expectSpokenAudio(events, i);

      const history = conversation.history.snapshot();
      expect(history.length).toBeLessThanOrEqual(10);
      history.forEach((m, k) => expect(m.role).toBe(k % 2 === 0 ? 'user' : 'assistant'));
      if (i === 99) {
        gc();
        baseline = process.memoryUsage().heapUsed;
      }
    }
    gc();
    const growthMb = (process.memoryUsage().heapUsed - baseline) / 2 ** 20;
    conversation.close();

    console.log(
      [
        `soak: ${TURNS} turns: ${outcomes.complete} complete, ${outcomes.error} error, ${outcomes.cancelled} cancelled`,
        `faults fired / injected: LLM ${fired.llm}/${injected.llm}, TTS ${fired.tts}/${injected.tts}`,
        `segments whose audio matched the speech of their text: ${segmentsChecked}`,
        `heap growth after turn 100: ${growthMb.toFixed(2)} MB`,
      ].join('\n'),
    );
    expect(unhandled).toEqual([]);
    expect(fired).toEqual(injected);
    expect(injected.llm).toBeGreaterThan(TURNS * 0.05);
    expect(injected.tts).toBeGreaterThan(TURNS * 0.05);
    expect(outcomes.error).toBe(fired.llm);
    expect(outcomes.cancelled).toBeGreaterThan(0);
    expect(segmentsChecked).toBeGreaterThan(TURNS);
    expect(growthMb).toBeLessThan(10);
  },
);
