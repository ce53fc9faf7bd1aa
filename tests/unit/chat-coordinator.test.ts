import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatCoordinator, type ChatTurns } from '../../src/main/chat/chat-coordinator';
import type { IncomingChatMessage } from '../../src/shared/chat';
import { chatSchema, type ChatSettings } from '../../src/shared/chat-settings';
import type { TurnSource } from '../../src/shared/pipeline-events';
import { testLogger } from '../helpers/pipeline-fixture';

let coordinator: ChatCoordinator | undefined;
afterEach(() => coordinator?.close());

function setup(chat: Partial<ChatSettings> = {}) {
  let now = 1_000_000;
  const said: TurnSource[] = [];
  const runner: ChatTurns = {
    say: (_text, source) => {
      if (source) said.push(source);
      return Promise.resolve('turn');
    },
  };
  coordinator = new ChatCoordinator({
    runner,
    chat: { ...chatSchema.parse({}), enabled: true, ...chat },
    characterName: 'Kiyo',
    logger: testLogger(),
    now: () => now,
  });
  const message = (viewer: string, text: string): IncomingChatMessage => ({
    platform: 'twitch',
    viewer,
    viewerId: viewer,
    text,
    moderator: false,
    subscriber: false,
    bits: 0,
    priority: 0,
    receivedAt: now,
  });
  return { coordinator, runner, said, message, advance: (ms: number) => (now += ms) };
}

describe('chat coordinator', () => {
  it('while the streamer is speaking, and for the quiet period after, no chat answer starts', () => {
    const { coordinator, said, message, advance } = setup({ streamerQuietSeconds: 5 });
    coordinator.streamerActive();
    coordinator.accept(message('amy', 'Kiyo hi'));
    expect(said).toEqual([]);
    advance(4_999);
    coordinator.accept(message('bob', 'Kiyo hello'));
    expect(said).toEqual([]);
    advance(2);
    coordinator.accept(message('cat', 'Kiyo hey'));
    expect(said.map((s) => s.kind === 'chat' && s.viewer)).toEqual(['amy']);
  });

  it('tells the runner who waits for whom: chat never interrupts the streamer; the streamer interrupts chat or waits, per setting', () => {
    const chat = { kind: 'chat', viewer: 'a', text: 't', platform: 'twitch' } as const;
    const interrupt = setup({ streamerFirst: 'interrupt' });
    expect(interrupt.runner.waitsFor?.(chat, undefined)).toBe(true);
    expect(interrupt.runner.waitsFor?.(chat, { kind: 'voice' })).toBe(true);
    expect(interrupt.runner.waitsFor?.(undefined, chat)).toBe(false);
    expect(interrupt.runner.waitsFor?.(chat, chat)).toBe(false);
    interrupt.coordinator.close();
    const wait = setup({ streamerFirst: 'wait' });
    expect(wait.runner.waitsFor?.(undefined, chat)).toBe(true);
    expect(wait.runner.waitsFor?.({ kind: 'voice' }, chat)).toBe(true);
    expect(wait.runner.waitsFor?.(undefined, undefined)).toBe(false);
  });

  it('interval mode answers one message every N seconds, the best waiting one', () => {
    const { coordinator, said, message, advance } = setup({
      trigger: 'interval',
      pickIntervalSeconds: 30,
      streamerQuietSeconds: 0,
    });
    coordinator.accept(message('amy', 'what game is this'));
    expect(said).toHaveLength(1);
    coordinator.observe({
      type: 'turn-start',
      turnId: 't1',
      input: '',
      streaming: true,
      inputAt: 0,
      source: said[0],
    });
    coordinator.observe({
      type: 'turn-end',
      turnId: 't1',
      reason: 'complete',
      text: '',
      spokenText: '',
      latency: { inputAt: 0 },
    });
    coordinator.accept(message('bob', 'nice play'));
    coordinator.accept({ ...message('mod', 'hello all'), moderator: true });
    expect(said).toHaveLength(1);
    advance(30_000);
    coordinator.accept(message('cat', 'hi'));
    expect(said.map((s) => s.kind === 'chat' && s.viewer)).toEqual(['amy', 'mod']);
  });

  it('starts no answer while Kiyo is still audible (a reply delivered but still playing), and starts one as she falls silent', async () => {
    let audible = true;
    const silentListeners = new Set<() => void>();
    const said: TurnSource[] = [];
    const runner: ChatTurns = {
      say: (_text, source) => {
        if (source) said.push(source);
        return Promise.resolve('turn');
      },
      audible: () => audible,
      onSilent: (listener) => {
        silentListeners.add(listener);
        return () => silentListeners.delete(listener);
      },
    };
    coordinator = new ChatCoordinator({
      runner,
      chat: { ...chatSchema.parse({}), enabled: true, streamerQuietSeconds: 0 },
      characterName: 'Kiyo',
      logger: testLogger(),
    });
    coordinator.accept({
      platform: 'twitch',
      viewer: 'amy',
      viewerId: 'amy',
      text: 'Kiyo what game is this?',
      moderator: false,
      subscriber: false,
      bits: 0,
      priority: 0,
      receivedAt: Date.now(),
    });
    // The fault: a message queued while audio is still playing.
    expect(coordinator.queued).toBe(1);
    expect(said).toEqual([]);
    audible = false;
    for (const listener of silentListeners) listener();
    await vi.waitFor(() => expect(said.map((s) => s.kind === 'chat' && s.viewer)).toEqual(['amy']));
    coordinator.close();
    expect(silentListeners.size).toBe(0);
  });

  it('turned off, it takes nothing and drops what was waiting', () => {
    const { coordinator, said, message } = setup({ streamerQuietSeconds: 0 });
    coordinator.setPaused(true);
    coordinator.accept(message('amy', 'Kiyo one'));
    expect(coordinator.queued).toBe(1);
    coordinator.configure({ ...chatSchema.parse({}), enabled: false }, 'Kiyo');
    expect(coordinator.queued).toBe(0);
    coordinator.accept(message('bob', 'Kiyo two'));
    expect(coordinator.queued).toBe(0);
    expect(said).toEqual([]);
  });
});
