import { describe, expect, it } from 'vitest';
import type { DropReason, IncomingChatMessage } from '../../src/shared/chat';
import { chatSchema } from '../../src/shared/chat-settings';
import { ChatQueue, type QueuePolicy } from '../../src/main/chat/chat-queue';

function setup(over: Partial<QueuePolicy> = {}) {
  let now = 5_000_000;
  const drops: { viewer: string; reason: DropReason }[] = [];
  const policy = { ...chatSchema.parse({}), ...over };
  const queue = new ChatQueue(
    policy,
    (entry, reason) => drops.push({ viewer: entry.viewer, reason }),
    () => now,
  );
  let n = 0;
  const offer = (viewer: string, flags: Partial<IncomingChatMessage> = {}) =>
    queue.offer(
      {
        platform: 'twitch',
        viewer,
        viewerId: viewer.toLowerCase(),
        text: `message ${++n}`,
        moderator: false,
        subscriber: false,
        bits: 0,
        priority: 0,
        receivedAt: now,
        ...flags,
      },
      `message ${n}`,
    );
  return { queue, drops, offer, advance: (ms: number) => (now += ms) };
}

describe('chat queue policy', () => {
  it('answers oldest first within a rank', () => {
    const { queue, offer, advance } = setup();
    offer('ann');
    advance(10);
    offer('bob');
    expect(queue.next()?.viewer).toBe('ann');
    expect(queue.next()?.viewer).toBe('bob');
    expect(queue.next()).toBeUndefined();
  });

  it('puts moderators, then big cheers, then subscribers before other viewers', () => {
    const { queue, offer } = setup({ priorityBitsMin: 100 });
    offer('viewer');
    offer('sub', { subscriber: true });
    offer('smallcheer', { bits: 99 });
    offer('cheer', { bits: 100 });
    offer('mod', { moderator: true });
    expect(queue.list().map((e) => e.viewer)).toEqual(['mod', 'cheer', 'sub', 'viewer', 'smallcheer']);
  });

  it('gives no priority when the settings turn it off', () => {
    const { queue, offer } = setup({
      priorityModerators: false,
      prioritySubscribers: false,
      priorityBitsMin: 0,
    });
    offer('viewer');
    offer('mod', { moderator: true, subscriber: true, bits: 5000 });
    expect(queue.list().map((e) => e.viewer)).toEqual(['viewer', 'mod']);
  });

  it('a local source’s own priority counts', () => {
    const { queue, offer } = setup();
    offer('plain');
    offer('bot', { platform: 'local', priority: 2 });
    expect(queue.next()?.viewer).toBe('bot');
  });

  it('keeps at most the maximum: a newcomer replaces the lowest, newest entry only if it outranks it', () => {
    const { queue, drops, offer } = setup({ maxQueueMessages: 2 });
    offer('a');
    offer('b');
    expect(offer('c')).toBeUndefined(); // same rank, newer: it is the one dropped
    expect(drops).toEqual([{ viewer: 'c', reason: 'queue-full' }]);
    expect(offer('mod', { moderator: true })).toBeDefined();
    expect(drops.at(-1)).toEqual({ viewer: 'b', reason: 'queue-full' });
    expect(queue.list().map((e) => e.viewer)).toEqual(['mod', 'a']);
    expect(queue.size).toBe(2);
  });

  it('drops messages older than the stale limit', () => {
    const { queue, drops, offer, advance } = setup({ staleSeconds: 30 });
    offer('old');
    advance(20_000);
    offer('fresh');
    advance(10_001);
    expect(queue.next()?.viewer).toBe('fresh');
    expect(drops).toEqual([{ viewer: 'old', reason: 'stale' }]);
  });

  it('a viewer who was just answered waits out the cooldown', () => {
    const { queue, drops, offer, advance } = setup({ viewerCooldownSeconds: 60 });
    offer('ann');
    offer('ann');
    const first = queue.next()!;
    queue.answered(first.viewerId);
    // Queued before the answer, met after it: dropped when its turn comes.
    expect(queue.next()).toBeUndefined();
    expect(drops).toEqual([{ viewer: 'ann', reason: 'cooldown' }]);
    // Offered during the cooldown: dropped at once.
    advance(59_000);
    expect(offer('ann')).toBeUndefined();
    advance(1_000);
    expect(offer('ann')).toBeDefined();
  });

  it('answer-now takes one regardless of rank; skip drops it with that reason', () => {
    const { queue, drops, offer } = setup();
    const low = offer('low')!;
    const mod = offer('mod', { moderator: true })!;
    expect(queue.take(low.key)?.viewer).toBe('low');
    expect(queue.skip(mod.key)).toBe(true);
    expect(drops).toEqual([{ viewer: 'mod', reason: 'skipped' }]);
    expect(queue.size).toBe(0);
    expect(queue.skip('chat-404')).toBe(false);
  });

  it('a smaller maximum from new settings drops the lowest at once', () => {
    const { queue, drops, offer } = setup({ maxQueueMessages: 5 });
    offer('a');
    offer('b');
    offer('mod', { moderator: true });
    queue.configure({ ...chatSchema.parse({}), maxQueueMessages: 1 });
    expect(queue.list().map((e) => e.viewer)).toEqual(['mod']);
    expect(drops.map((d) => d.reason)).toEqual(['queue-full', 'queue-full']);
  });
});
