import { useFakes } from '../helpers/use-fakes';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LlmFault } from '../../src/fakes/fake-openai-server';
import type { TtsFault } from '../../src/fakes/fake-edge-tts-server';
import { Conversation } from '../../src/main/pipeline/conversation';
import { EdgeTtsEngine } from '../../src/main/pipeline/tts/edge-tts-engine';
import { parsePipelineSettings } from '../../src/shared/settings';
import type { PipelineEvent } from '../../src/shared/pipeline-events';
import { speak } from '../../src/fakes/fake-speech';
import { repeatedRequests, TTS_RETRY_LOG } from '../helpers/fault-evidence';
import {
  assertEventOrder,
  audioOf,
  collect,
  makeConversation,
  ofType,
  testLogger,
} from '../helpers/pipeline-fixture';

const fakes = useFakes();
afterEach(() => {
  fakes.llm.faults.length = 0;
  fakes.tts.faults.length = 0;
  fakes.tts.defaultFault = 'none';
});

const REPLY =
  'Sure thing, here is a reply. It has a few sentences in it, so it streams for a while. The end is near now!';

// The fake synthesises each text once, on first use, and in this very process: on a loaded
// machine that first time blocks the event loop long enough to trip a test's short timeouts. So
// the scripted reply is spoken once up front, with timeouts nothing here is about.
beforeAll(async () => {
  fakes.llm.setReplies([REPLY]);
  const conversation = makeConversation(fakes, {
    llm: { stallTimeoutMs: 60_000 },
    tts: { providers: { edge: { timeoutMs: 60_000 } } },
  });
  const events = await collect(conversation.runTurn('warm up'));
  conversation.close();
  expect(ofType(events, 'turn-end')[0]!.reason).toBe('complete');
}, 120_000);

async function turnAfterFault(conversation: Conversation): Promise<void> {
  const next = await collect(conversation.runTurn('are you still there?'));
  assertEventOrder(next);
  expect(ofType(next, 'turn-end')[0]!.reason, JSON.stringify(ofType(next, 'error'))).toBe('complete');
  expect(ofType(next, 'audio').length).toBeGreaterThan(0);
}

describe('LLM faults: a clear error, then the next turn works', () => {
  const cases: [LlmFault, string, RegExp][] = [
    ['http-401', 'llm-auth', /rejected the API key \(HTTP 401\)\. Check your API key/],
    ['http-429', 'llm-rate-limit', /rate-limiting requests \(HTTP 429\)/],
    ['http-500', 'llm-server', /failed \(HTTP 500\)/],
    ['stall', 'llm-stall', /stopped sending text for 1 s/],
    ['stall-mid-stream', 'llm-stall', /stopped sending text/],
    ['malformed-chunk', 'llm-malformed', /malformed streaming response/],
    ['early-close', 'llm-incomplete', /broke in the middle of the reply|closed the reply before finishing/],
    ['no-finish', 'llm-incomplete', /closed the reply before finishing it/],
  ];

  it.each(cases)('%s → %s', async (fault, code, message) => {
    fakes.llm.setReplies([REPLY]);
    fakes.llm.faults.push(fault);
    const lines: string[] = [];
    const conversation = makeConversation(fakes, { llm: { stallTimeoutMs: 1000 } }, testLogger(lines));
    const events = await collect(conversation.runTurn('hello'));
    // The fault fired: the turn's request took it.
    expect(fakes.llm.faults).toEqual([]);
    assertEventOrder(events);
    const errors = ofType(events, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe(code);
    expect(errors[0]!.message).toMatch(message);
    expect(ofType(events, 'turn-end')[0]!.reason).toBe('error');
    expect(lines.some((l) => l.includes(code))).toBe(true);
    await turnAfterFault(conversation);
    conversation.close();
  });

  it('speaks what arrived before a mid-stream failure, and remembers only that', async () => {
    fakes.llm.setReplies([REPLY]);
    fakes.llm.faults.push('early-close');
    const conversation = makeConversation(fakes);
    const events = await collect(conversation.runTurn('hello'));
    conversation.close();
    expect(fakes.llm.faults).toEqual([]);
    expect(ofType(events, 'error')[0]?.code).toBe('llm-incomplete');
    const delivered = ofType(events, 'segment-end').length;
    expect(delivered).toBeGreaterThan(0);
    const history = conversation.history.snapshot();
    expect(history).toHaveLength(2);
    expect(REPLY.startsWith(history[1]!.content.slice(0, 20))).toBe(true);
    expect(history[1]!.content.length).toBeLessThan(REPLY.length);
  });

  it('retries 429 and 5xx with backoff when retries are allowed', async () => {
    fakes.llm.setReplies(['Made it through, finally!']);
    fakes.llm.faults.push('http-429', 'http-500');
    // A generous TTS timeout: this is about the LLM's retries, not about the fake speaking a new text.
    const conversation = makeConversation(fakes, {
      llm: { maxRetries: 2 },
      tts: { providers: { edge: { timeoutMs: 20_000 } } },
    });
    const events = await collect(conversation.runTurn('hello'));
    conversation.close();
    // Both faults fired (each took a request), and the third request made it.
    expect(fakes.llm.faults).toEqual([]);
    expect(ofType(events, 'error')).toEqual([]);
    expect(ofType(events, 'turn-end')[0]!.text).toBe('Made it through, finally!');
  });

  it('reports an unreachable LLM server', async () => {
    const settings = parsePipelineSettings({ llm: { baseUrl: 'http://127.0.0.1:9/v1', maxRetries: 0 } });
    const logger = testLogger();
    const conversation = new Conversation({
      settings,
      logger,
      tts: new EdgeTtsEngine(settings.tts.providers.edge, logger, fakes.tts.url),
    });
    const events = await collect(conversation.runTurn('anyone?'));
    conversation.close();
    expect(ofType(events, 'error')[0]).toMatchObject({ code: 'llm-connection' });
    expect(ofType(events, 'error')[0]!.message).toMatch(
      /Could not reach the LLM server at http:\/\/127\.0\.0\.1:9\/v1/,
    );
  });
});

describe('TTS faults', () => {
  const cases: [TtsFault, string, RegExp][] = [
    ['drop-mid-stream', 'tts-dropped', /dropped in the middle of a clause/],
    ['silent', 'tts-timeout', /sent no audio for 1 s/],
  ];

  it.each(cases)('%s → %s, then the next turn works', async (fault, code, message) => {
    fakes.llm.setReplies([REPLY]);
    const conversation = makeConversation(fakes, { tts: { providers: { edge: { timeoutMs: 1000 } } } });
    // Every clause fails, the one retry on a fresh socket included.
    fakes.tts.defaultFault = fault;
    const requests = fakes.tts.requests.length;
    const events = await collect(conversation.runTurn('hello'));
    fakes.tts.defaultFault = 'none';
    // The fault fired at the fake: the failing clause was asked for a second time, on a new socket.
    expect(repeatedRequests(fakes.tts, requests)).toContain(ofType(events, 'segment')[0]!.spokenText);
    assertEventOrder(events);
    expect(ofType(events, 'error')).toHaveLength(1);
    expect(ofType(events, 'error')[0]).toMatchObject({ code });
    expect(ofType(events, 'error')[0]!.message).toMatch(message);
    expect(ofType(events, 'turn-end')[0]!.reason).toBe('error');
    await turnAfterFault(conversation);
    conversation.close();
  });

  it('retries a clause once on a fresh socket when a reused one fails before any audio', async () => {
    fakes.llm.setReplies([REPLY]);
    const lines: string[] = [];
    // A generous timeout: the socket closing, not the fake being slow, must be what fails the clause.
    const conversation = makeConversation(
      fakes,
      { tts: { providers: { edge: { timeoutMs: 20_000 } } } },
      testLogger(lines),
    );
    fakes.tts.faults.push('close-on-request');
    const requests = fakes.tts.requests.length;
    const events = await collect(conversation.runTurn('hello'));
    conversation.close();
    // The fault fired: the fake took it and closed the socket on the first clause, which was then
    // asked for again; the engine says it retried before any audio.
    expect(fakes.tts.faults).toEqual([]);
    const first = ofType(events, 'segment')[0]!.spokenText;
    expect(repeatedRequests(fakes.tts, requests)).toEqual([first]);
    expect(lines.filter((l) => TTS_RETRY_LOG.test(l))).toEqual([
      expect.stringContaining('failed before any audio'),
    ]);
    expect(ofType(events, 'error')).toEqual([]);
    expect(ofType(events, 'turn-end')[0]!.reason).toBe('complete');
    // And the retried clause is heard whole.
    expect(audioOf(events, 0).equals(Buffer.from((await speak(first)).mp3))).toBe(true);
  });

  it('reports an unreachable TTS service', async () => {
    fakes.llm.setReplies([REPLY]);
    const settings = parsePipelineSettings({
      llm: { baseUrl: fakes.llm.url, maxRetries: 0 },
      tts: { providers: { edge: { warmConnections: 0, timeoutMs: 1000 } } },
    });
    const logger = testLogger();
    const conversation = new Conversation({
      settings,
      logger,
      tts: new EdgeTtsEngine(settings.tts.providers.edge, logger, 'ws://127.0.0.1:9/edge'),
    });
    const events = await collect(conversation.runTurn('hello'));
    conversation.close();
    assertEventOrder(events);
    expect(ofType(events, 'error')[0]).toMatchObject({ code: 'tts-connection' });
    expect(ofType(events, 'error')[0]!.message).toMatch(/Could not connect to the Edge TTS service/);
  });
});

describe('cancellation', () => {
  it('aborting mid-turn stops the LLM and TTS, ends with turn-end "cancelled", and emits nothing after', async () => {
    fakes.llm.setReplies([REPLY + ' ' + REPLY + ' ' + REPLY]);
    fakes.llm.options.tokensPerSecond = 60;
    fakes.tts.options.realtimeFactor = 0.5;
    const llmAbandoned = fakes.llm.abandoned;
    const ttsAbandoned = fakes.tts.abandoned;
    const conversation = makeConversation(fakes);
    const controller = new AbortController();
    const events: PipelineEvent[] = [];
    for await (const event of conversation.runTurn('talk a lot', { signal: controller.signal })) {
      events.push(event);
      if (event.type === 'audio' && event.seq === 2) controller.abort();
    }
    fakes.llm.options.tokensPerSecond = 400;
    fakes.tts.options.realtimeFactor = 0;
    assertEventOrder(events);
    const end = events.at(-1)!;
    expect(end).toMatchObject({ type: 'turn-end', reason: 'cancelled' });
    expect(ofType(events, 'error')).toEqual([]);
    // Only what was spoken counts as said.
    expect(conversation.history.snapshot()).toEqual([]);

    await expect.poll(() => fakes.llm.abandoned, { timeout: 2000 }).toBe(llmAbandoned + 1);
    await expect.poll(() => fakes.tts.abandoned, { timeout: 2000 }).toBeGreaterThan(ttsAbandoned);
    await turnAfterFault(conversation);
    conversation.close();
  });

  it('leaving the event loop early cancels the turn too', async () => {
    fakes.llm.setReplies([REPLY]);
    const conversation = makeConversation(fakes);
    for await (const event of conversation.runTurn('hi')) {
      if (event.type === 'segment') break;
    }
    await turnAfterFault(conversation);
    conversation.close();
  });

  it('an already-aborted signal yields just turn-start and turn-end', async () => {
    const conversation = makeConversation(fakes);
    const events = await collect(conversation.runTurn('hi', { signal: AbortSignal.abort() }));
    conversation.close();
    expect(events.map((e) => e.type)).toEqual(['turn-start', 'turn-end']);
    expect(events[1]).toMatchObject({ reason: 'cancelled' });
  });
});
