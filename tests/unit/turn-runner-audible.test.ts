import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatCoordinator } from '../../src/main/chat/chat-coordinator';
import { FALLBACK_GRACE_MS } from '../../src/main/pipeline/audible-turn';
import { chatSchema } from '../../src/shared/chat-settings';
import { testLogger } from '../helpers/pipeline-fixture';
import type { Conversation } from '../../src/main/pipeline/conversation';
import { createLogger } from '../../src/main/pipeline/logger';
import { TurnRunner } from '../../src/main/pipeline/turn-runner';
import { pcmAt } from '../../src/shared/audio-format';
import type { PipelineEvent, TurnSource } from '../../src/shared/pipeline-events';

/**
 * The runner's "audible until": a turn that ended in main keeps Kiyo audible until a page reports
 * its audio played to the end (or, with no report, its estimated end), and a turn that waits for
 * another ("streamer first: wait", chat answers) waits for that too, not just for its end in main.
 */

const RATE = 24_000;
const AUDIO_MS = 5_000;

/** Each turn: turn-start, AUDIO_MS of PCM delivered at once, turn-end (unless cancelled first). */
function audioConversation() {
  let turns = 0;
  const conversation = {
    async *runTurn(input: string, { signal }: { signal: AbortSignal }): AsyncGenerator<PipelineEvent> {
      const turnId = `turn-${++turns}`;
      yield { type: 'turn-start', turnId, input, streaming: true, inputAt: 0 };
      yield {
        type: 'audio',
        turnId,
        segmentIndex: 0,
        seq: 0,
        format: pcmAt(RATE),
        data: new Uint8Array(((RATE * AUDIO_MS) / 1000) * 2),
      };
      yield {
        type: 'turn-end',
        turnId,
        reason: signal.aborted ? 'cancelled' : 'complete',
        text: '',
        spokenText: '',
        latency: { inputAt: 0 },
      };
    },
    playbackStopped: () => {},
    playbackFinished: () => {},
  };
  return conversation as unknown as Conversation;
}

function setup() {
  const published: PipelineEvent[] = [];
  const lines: string[] = [];
  const runner = new TurnRunner(
    audioConversation(),
    (event) => published.push(event),
    createLogger({ level: 'debug', sink: (_level, line) => lines.push(line) }),
  );
  const ended = (turnId: string) => published.some((e) => e.type === 'turn-end' && e.turnId === turnId);
  const started = (turnId: string) => published.some((e) => e.type === 'turn-start' && e.turnId === turnId);
  return { runner, published, lines, ended, started };
}

const chat: TurnSource = { kind: 'chat', viewer: 'amy', text: 'hi', platform: 'twitch' };

afterEach(() => vi.useRealTimers());

describe('TurnRunner: audible until', () => {
  it('stays audible after the turn ended in main until a page reports its audio finished', async () => {
    const { runner, ended, lines } = setup();
    await runner.say('hello');
    await vi.waitFor(() => expect(ended('turn-1')).toBe(true));
    expect(runner.audible()).toBe(true);
    const woke = vi.fn();
    runner.onSilent(woke);
    runner.playbackFinished('turn-1');
    expect(runner.audible()).toBe(false);
    expect(woke).toHaveBeenCalledTimes(1);
    expect(lines.some((l) => l.includes('turn-1: no longer audible (reported)'))).toBe(true);
  });

  it("ignores a stale report: an earlier turn's finishing says nothing about the latest one", async () => {
    const { runner, ended } = setup();
    await runner.say('one');
    await vi.waitFor(() => expect(ended('turn-1')).toBe(true));
    await runner.say('two');
    await vi.waitFor(() => expect(ended('turn-2')).toBe(true));
    runner.playbackFinished('turn-1');
    expect(runner.audible()).toBe(true);
    runner.playbackFinished('turn-2');
    expect(runner.audible()).toBe(false);
  });

  it('with no page reporting, falls silent once the delivered audio has had time to play', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { runner, ended, lines } = setup();
    await runner.say('hello');
    // Not vi.waitFor: with fake timers it moves the clock as it polls.
    while (!ended('turn-1')) await new Promise((resolve) => setImmediate(resolve));
    vi.advanceTimersByTime(AUDIO_MS + FALLBACK_GRACE_MS - 10);
    expect(runner.audible()).toBe(true);
    vi.advanceTimersByTime(20);
    expect(runner.audible()).toBe(false);
    expect(lines.some((l) => l.includes('turn-1: no longer audible (estimated)'))).toBe(true);
  });

  it('cancel() clears it: the pages stop playing', async () => {
    const { runner, ended } = setup();
    await runner.say('hello');
    await vi.waitFor(() => expect(ended('turn-1')).toBe(true));
    expect(runner.audible()).toBe(true);
    await runner.cancel();
    expect(runner.audible()).toBe(false);
  });

  it('a turn that waits for the audible one starts only once its audio finished playing', async () => {
    const { runner, ended, started } = setup();
    // As the chat coordinator sets it: a chat answer waits for anything else.
    runner.waitsFor = (incoming, current) => incoming?.kind === 'chat' && current?.kind !== 'chat';
    await runner.say('the streamer speaks');
    await vi.waitFor(() => expect(ended('turn-1')).toBe(true));
    const answer = runner.say('a viewer asks', chat);
    // Give it every chance to start while the streamer's reply is still audible.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(started('turn-2')).toBe(false);
    runner.playbackFinished('turn-1');
    expect(await answer).toBe('turn-2');
  });

  it('a turn that interrupts does not wait for the audio: it cuts it', async () => {
    const { runner, ended } = setup();
    runner.waitsFor = (incoming, current) => incoming?.kind === 'chat' && current?.kind !== 'chat';
    await runner.say('a viewer asks', chat);
    await vi.waitFor(() => expect(ended('turn-1')).toBe(true));
    expect(runner.audible()).toBe(true);
    expect(await runner.say('the streamer interrupts')).toBe('turn-2');
  });

  it("streamer first 'wait': the streamer's input waits until the chat answer has finished playing", async () => {
    const { runner, ended, started } = setup();
    const coordinator = new ChatCoordinator({
      runner,
      chat: { ...chatSchema.parse({}), enabled: true, streamerFirst: 'wait' },
      characterName: 'Kiyo',
      logger: testLogger(),
    });
    try {
      await runner.say('a viewer asks', chat);
      await vi.waitFor(() => expect(ended('turn-1')).toBe(true));
      const streamer = runner.say('the streamer speaks');
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(started('turn-2')).toBe(false);
      runner.playbackFinished('turn-1');
      expect(await streamer).toBe('turn-2');
    } finally {
      coordinator.close();
    }
  });
});
