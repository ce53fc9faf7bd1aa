import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { FakeTwitchChatServer } from '../../src/fakes/fake-twitch-chat-server';
import { ChatCoordinator, type ChatTurns } from '../../src/main/chat/chat-coordinator';
import { TwitchChatSource } from '../../src/main/chat/twitch-chat-source';
import { growthMbPer1000Turns, type HeapSample } from '../../src/cli/heap-growth';
import type { IncomingChatMessage } from '../../src/shared/chat';
import { chatSchema } from '../../src/shared/chat-settings';
import type { TurnSource } from '../../src/shared/pipeline-events';
import { testLogger } from '../helpers/pipeline-fixture';

/**
 * A chat flood: 1,000 messages a minute for eight minutes, through the fake Twitch and twurple
 * into the coordinator. Time is compressed: the coordinator's clock advances 60 ms per message
 * received, so its per-minute, cooldown and staleness rules see 1,000 a minute however fast the
 * feed runs. Kiyo's answers take 5 s of that clock each. The queue stays bounded, memory flat,
 * answers keep coming all along, and the panel's state stays small.
 */

const MINUTES = 8;
const PER_MINUTE = 1000;
const STEP_MS = 60_000 / PER_MINUTE;
const ANSWER_MS = 5000;

let twitch: FakeTwitchChatServer;
beforeAll(async () => {
  twitch = await FakeTwitchChatServer.start();
});
afterAll(async () => {
  await twitch.close();
});

it(`${PER_MINUTE} messages a minute for ${MINUTES} minutes: queue bounded, memory flat, answers keep coming`, async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let now = 1_000_000;
  const chat = { ...chatSchema.parse({}), enabled: true, maxQueueMessages: 10, viewerCooldownSeconds: 30 };

  // A runner whose turns last ANSWER_MS of the fake clock.
  let turn = 0;
  let running: { id: string; endsAt: number } | undefined;
  const answeredAt: number[] = [];
  const runner: ChatTurns = {
    say: (_text: string, source?: TurnSource) => {
      const id = `turn-${++turn}`;
      running = { id, endsAt: now + ANSWER_MS };
      answeredAt.push(now);
      coordinator.observe({
        type: 'turn-start',
        turnId: id,
        input: '',
        streaming: true,
        inputAt: now,
        ...(source && { source }),
      });
      return Promise.resolve(id);
    },
  };
  let notifications = 0;
  const coordinator = new ChatCoordinator({
    runner,
    chat,
    characterName: 'Kiyo',
    logger: testLogger(),
    now: () => now,
    onChange: () => notifications++,
  });

  let received = 0;
  let maxQueued = 0;
  const samples: HeapSample[] = [];
  const source = new TwitchChatSource({
    channel: 'kiyostream',
    server: twitch.url,
    logger: testLogger(),
    onState: () => {},
    onMessage: (message: IncomingChatMessage) => {
      received++;
      now += STEP_MS;
      if (running && now >= running.endsAt) {
        const id = running.id;
        running = undefined;
        coordinator.observe({
          type: 'turn-end',
          turnId: id,
          reason: 'complete',
          text: '',
          spokenText: '',
          latency: { inputAt: now },
        });
      }
      coordinator.accept(message);
      maxQueued = Math.max(maxQueued, coordinator.queued);
    },
  });
  source.start();
  try {
    await vi.waitFor(() => expect(twitch.joined('kiyostream')).toBe(1), { timeout: 15_000 });
    const viewers = Array.from({ length: 300 }, (_, i) => `viewer${i}`);
    let sent = 0;
    for (let minute = 0; minute < MINUTES; minute++) {
      for (let i = 0; i < PER_MINUTE; i++) {
        const n = sent++;
        const login = n % 7 === 0 ? 'spammer' : viewers[(n * 31) % viewers.length]!;
        const kinds = [
          `@Kiyo question number ${n}?`,
          `just chatting ${n}`,
          `!ask what about ${n}`,
          `look https://spam.example/${n}`,
          'Kiyo same text again',
          `kiyo ${'long '.repeat(60)}`,
        ];
        twitch.message('kiyostream', {
          login,
          text: kinds[n % kinds.length]!,
          mod: n % 50 === 0,
          subscriber: n % 5 === 0,
          bits: n % 97 === 0 ? 500 : 0,
        });
        // Let the socket and the client work between bursts, as a real feed would.
        if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
      }
      await vi.waitFor(() => expect(received).toBe(sent), { timeout: 60_000, interval: 20 });
      // The panel's view stays small whatever arrives.
      const state = coordinator.state();
      expect(state.queue.length).toBeLessThanOrEqual(chat.maxQueueMessages);
      expect(state.recentDrops.length).toBeLessThanOrEqual(20);
      if (minute >= 2) {
        gc();
        samples.push({ turn: received, heapUsedBytes: process.memoryUsage().heapUsed });
      }
    }
  } finally {
    source.close();
    coordinator.close();
  }

  const state = coordinator.state();
  expect(received).toBe(MINUTES * PER_MINUTE);
  expect(maxQueued).toBeLessThanOrEqual(chat.maxQueueMessages);
  // Every rule was exercised by the flood, and every message is accounted for.
  for (const reason of ['spam', 'not-addressed', 'too-long', 'repeat', 'cooldown', 'queue-full'] as const)
    expect(state.dropCounts[reason] ?? 0, reason).toBeGreaterThan(0);
  const dropped = Object.values(state.dropCounts).reduce((a, b) => a + (b ?? 0), 0);
  expect(dropped + state.answered + state.queue.length).toBe(received);
  // Answers kept coming in every minute of the flood (one per 5 s of its clock, roughly).
  const start = answeredAt[0]!;
  for (let minute = 0; minute < MINUTES; minute++) {
    const inMinute = answeredAt.filter(
      (t) => t >= start + minute * 60_000 && t < start + (minute + 1) * 60_000,
    );
    expect(inMinute.length, `answers in minute ${minute}`).toBeGreaterThanOrEqual(5);
  }
  // Memory flat: no growth with the number of messages once the rules' windows have filled.
  // Measured at about 0.02 MB per 1,000 messages; a leak of 200 bytes a message shows.
  expect(growthMbPer1000Turns(samples)).toBeLessThan(0.2);
  // The panel was told of changes in batches, not once per message.
  expect(notifications).toBeLessThan(received / 10);
}, 240_000);
