import { describe, expect, it, vi } from 'vitest';
import { Conversation } from '../../src/main/pipeline/conversation';
import { createLogger } from '../../src/main/pipeline/logger';
import type { TtsEngine } from '../../src/main/pipeline/tts/tts-engine';
import { TurnRunner } from '../../src/main/pipeline/turn-runner';
import type { LatencyMarks, PipelineEvent } from '../../src/shared/pipeline-events';
import { parsePipelineSettings } from '../../src/shared/settings';

const quietLogger = () => createLogger({ level: 'error', sink: () => {} });

interface TurnCall {
  input: string;
  signal: AbortSignal;
  voicePreview?: string;
}

/**
 * A conversation whose turns the test drives: each turn starts, then either ends at once with
 * `latency`, or (held) waits until it is cancelled, as a reply still being spoken does.
 */
function scriptedConversation(options: { hold?: boolean; latency?: Partial<LatencyMarks> } = {}) {
  const calls: TurnCall[] = [];
  const stopped: [string, number][] = [];
  let turns = 0;
  const conversation = {
    async *runTurn(
      input: string,
      { signal, voicePreview }: { signal: AbortSignal; voicePreview?: string },
    ): AsyncGenerator<PipelineEvent> {
      calls.push({ input, signal, voicePreview });
      const turnId = `turn-${++turns}`;
      yield { type: 'turn-start', turnId, input, streaming: true, inputAt: 0 };
      if (options.hold && !signal.aborted)
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      yield {
        type: 'turn-end',
        turnId,
        reason: signal.aborted ? 'cancelled' : 'complete',
        text: '',
        spokenText: '',
        latency: { inputAt: 0, ...options.latency },
      };
    },
    playbackStopped: (turnId: string, segments: number) => stopped.push([turnId, segments]),
  };
  return { conversation: conversation as unknown as Conversation, calls, stopped };
}

function runnerFor(conversation: Conversation) {
  const published: PipelineEvent[] = [];
  const logger = quietLogger();
  const runner = new TurnRunner(conversation, (event) => published.push(event), logger);
  return { runner, published, logger };
}

const ends = (events: PipelineEvent[]) => events.filter((e) => e.type === 'turn-end');

describe('TurnRunner', () => {
  it('resolves say() with the id of the turn it started, and publishes its events', async () => {
    const { conversation } = scriptedConversation();
    const { runner, published } = runnerFor(conversation);
    const turnId = await runner.say('hello');
    expect(turnId).toBe('turn-1');
    await vi.waitFor(() => expect(ends(published)).toHaveLength(1));
    expect(published.map((e) => e.type)).toEqual(['turn-start', 'turn-end']);
  });

  it('runs one turn at a time: new input cancels the turn in progress and waits for its end', async () => {
    const { conversation, calls } = scriptedConversation({ hold: true });
    const { runner, published } = runnerFor(conversation);
    await runner.say('tell me a long story');
    expect(calls[0]!.signal.aborted).toBe(false);

    await runner.say('actually, stop');
    expect(calls[0]!.signal.aborted).toBe(true);
    // The first turn's end came out before the second turn began: never two at once.
    expect(published.map((e) => `${e.type} ${e.turnId}`)).toEqual([
      'turn-start turn-1',
      'stop-playback turn-1',
      'turn-end turn-1',
      'turn-start turn-2',
    ]);
    expect(ends(published)[0]).toMatchObject({ reason: 'cancelled' });
    await runner.cancel();
  });

  it('cancel() ends the turn in progress and resolves once it has ended; with none it just resolves', async () => {
    const { conversation, calls } = scriptedConversation({ hold: true });
    const { runner, published } = runnerFor(conversation);
    await runner.cancel();
    await runner.say('hello');
    await runner.cancel();
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(ends(published)).toEqual([expect.objectContaining({ turnId: 'turn-1', reason: 'cancelled' })]);
  });

  it("cancel() tells every page to stop the newest turn's audio, also once that turn has ended in main", async () => {
    const { conversation } = scriptedConversation();
    const { runner, published } = runnerFor(conversation);
    await runner.cancel();
    expect(published).toEqual([]); // nothing has played: nothing to stop
    await runner.say('hello');
    await vi.waitFor(() => expect(ends(published)).toHaveLength(1));
    // The turn is over in main, but its audio (delivered faster than it plays) may still be playing
    // on a page that did not ask for the stop, the OBS page.
    await runner.cancel();
    expect(published.at(-1)).toEqual({ type: 'stop-playback', turnId: 'turn-1' });
  });

  it('passes every event through the secret registry before publishing it', async () => {
    const secret = 'sk-test-abcdefghijklmnop1234';
    const conversation = {
      async *runTurn(): AsyncGenerator<PipelineEvent> {
        yield { type: 'turn-start', turnId: 'turn-1', input: 'hi', streaming: true, inputAt: 0 };
        yield {
          type: 'error',
          turnId: 'turn-1',
          code: 'llm-auth',
          message: `bad key ${secret}`,
          retryable: false,
        };
      },
    } as unknown as Conversation;
    const { runner, published, logger } = runnerFor(conversation);
    logger.addSecret(secret);
    await runner.say('hi');
    await vi.waitFor(() => expect(published.some((e) => e.type === 'error')).toBe(true));
    expect(JSON.stringify(published)).not.toContain(secret);
  });

  it("completes a turn's latency with the player's first sample, whichever arrives first", async () => {
    const { conversation } = scriptedConversation({ latency: { firstAudio: 100 } });
    const { runner, published } = runnerFor(conversation);
    const changes = vi.fn();
    runner.onLatency(changes);

    // Turn end first, then the player's report.
    await runner.say('one');
    await vi.waitFor(() => expect(ends(published)).toHaveLength(1));
    expect(runner.recentLatency()).toEqual([{ inputAt: 0, firstAudio: 100, reason: 'complete' }]);
    runner.playbackStarted('turn-1', 12.5);
    expect(runner.recentLatency()[0]!.firstSamplePlayed).toBe(112.5);

    // The player's report first (it can beat the turn's end), then the turn end.
    runner.playbackStarted('turn-2', 7);
    await runner.say('two');
    await vi.waitFor(() => expect(ends(published)).toHaveLength(2));
    expect(runner.recentLatency()[1]).toMatchObject({ firstSamplePlayed: 107, reason: 'complete' });
    expect(changes.mock.calls.length).toBeGreaterThanOrEqual(3);
  });

  it('keeps the latency of the most recent turns only', async () => {
    const { conversation } = scriptedConversation({ latency: { firstAudio: 1 } });
    const { runner, published } = runnerFor(conversation);
    // Each say() waits for the turn before it to end, cancel() for the last one.
    for (let i = 0; i < 55; i++) await runner.say(`turn ${i}`);
    await runner.cancel();
    expect(ends(published)).toHaveLength(55);
    expect(runner.recentLatency()).toHaveLength(50);
  });

  it('speaks a voice preview without the LLM and records no latency for it', async () => {
    const { conversation, calls } = scriptedConversation({ latency: { firstAudio: 1 } });
    const { runner, published } = runnerFor(conversation);
    await runner.previewVoice('This is my voice.');
    await vi.waitFor(() => expect(ends(published)).toHaveLength(1));
    expect(calls[0]).toMatchObject({ input: '(voice preview)', voicePreview: 'This is my voice.' });
    expect(runner.recentLatency()).toEqual([]);
  });

  it("hands the player's interruption report to the conversation", () => {
    const { conversation, stopped } = scriptedConversation();
    const { runner } = runnerFor(conversation);
    runner.playbackStopped('turn-3', 2);
    expect(stopped).toEqual([['turn-3', 2]]);
  });
});

describe('TurnRunner with a real Conversation', () => {
  /** Audio is not what these tests are about: a voice that finishes each clause at once, silent. */
  const silentVoice: TtsEngine = {
    async *synthesize() {},
    warm() {},
    close() {},
  };
  const reply = 'The first part of my answer is here. And this second part is a little longer.';

  function realRunner() {
    const logger = quietLogger();
    const conversation = new Conversation({
      settings: parsePipelineSettings({}),
      tts: silentVoice,
      logger,
      llm: {
        async *stream() {
          for (const word of reply.split(/(?<= )/)) yield word;
        },
      },
    });
    const published: PipelineEvent[] = [];
    const runner = new TurnRunner(conversation, (event) => published.push(event), logger);
    return { conversation, runner, published };
  }

  it('remembers a reply whole, and only the segments heard once playback was stopped', async () => {
    const { conversation, runner, published } = realRunner();
    const turnId = await runner.say('tell me');
    await vi.waitFor(() => expect(ends(published)).toHaveLength(1));
    const segments = published.filter((e) => e.type === 'segment');
    expect(segments.length).toBeGreaterThan(1); // the interruption below really cuts the reply
    expect(conversation.history.snapshot().at(-1)).toEqual({ role: 'assistant', content: reply });

    runner.playbackStopped(turnId, 1);
    expect(conversation.history.snapshot().at(-1)).toEqual({
      role: 'assistant',
      content: (segments[0] as Extract<PipelineEvent, { type: 'segment' }>).displayText,
    });
  });

  it('keeps the larger count when two pages (the desktop overlay and the OBS page) report a stop', async () => {
    const { conversation, runner, published } = realRunner();
    const turnId = await runner.say('tell me');
    await vi.waitFor(() => expect(ends(published)).toHaveLength(1));
    const segments = published.filter((e) => e.type === 'segment');
    expect(segments.length).toBeGreaterThan(1);
    const first = (segments[0] as Extract<PipelineEvent, { type: 'segment' }>).displayText;

    runner.playbackStopped(turnId, 1);
    expect(conversation.history.snapshot().at(-1)).toEqual({ role: 'assistant', content: first });
    runner.playbackStopped(turnId, 2);
    const both = conversation.history.snapshot().at(-1)?.content;
    expect(both).not.toBe(first);
    expect(both).toContain(first);
    // A page that had played less, reporting later, does not take back what was said.
    runner.playbackStopped(turnId, 1);
    expect(conversation.history.snapshot().at(-1)?.content).toBe(both);
  });

  it('a page that played the reply to its end wins over a page stopped partway, in either order', async () => {
    const { conversation, runner, published } = realRunner();
    const turnId = await runner.say('tell me');
    await vi.waitFor(() => expect(ends(published)).toHaveLength(1));
    const first = (published.find((e) => e.type === 'segment') as Extract<PipelineEvent, { type: 'segment' }>)
      .displayText;

    runner.playbackStopped(turnId, 1);
    expect(conversation.history.snapshot().at(-1)).toEqual({ role: 'assistant', content: first });
    runner.playbackFinished(turnId);
    expect(conversation.history.snapshot().at(-1)).toEqual({ role: 'assistant', content: reply });
    runner.playbackStopped(turnId, 1);
    expect(conversation.history.snapshot().at(-1)).toEqual({ role: 'assistant', content: reply });
    // A finished report for an older turn changes nothing of the newest.
    const next = await runner.say('again');
    await vi.waitFor(() => expect(ends(published)).toHaveLength(2));
    runner.playbackStopped(next, 1);
    runner.playbackFinished(turnId);
    expect(conversation.history.snapshot().at(-1)).toEqual({ role: 'assistant', content: first });
  });

  it('does not remember a voice preview', async () => {
    const { conversation, runner, published } = realRunner();
    await runner.previewVoice('Hello, this is how I sound.');
    await vi.waitFor(() => expect(ends(published)).toHaveLength(1));
    expect(published.some((e) => e.type === 'segment')).toBe(true);
    expect(conversation.history.size).toBe(0);
  });
});
