import { afterEach, describe, expect, it, vi } from 'vitest';
import { TurnRunner } from '../../src/main/pipeline/turn-runner';
import type { PipelineEvent } from '../../src/shared/pipeline-events';
import type { PipelineSettingsInput } from '../../src/shared/settings';
import { assertEventOrder, collect, makeConversation, ofType, testLogger } from '../helpers/pipeline-fixture';
import { useFakes } from '../helpers/use-fakes';

/**
 * A server may answer 429/5xx with any Retry-After. Kiyo honours short waits, refuses long ones
 * with a plain message, and a wait never blocks cancelling or starting a new turn.
 */
const fakes = useFakes();
afterEach(() => {
  fakes.llm.faults.length = 0;
  fakes.llm.requests.length = 0;
  fakes.llm.retryAfterSent.length = 0;
  delete fakes.llm.options.retryAfter;
});

const REPLY = 'Back again, and nothing was lost.';

function setup(retryAfter: Record<string, string>, llm: PipelineSettingsInput['llm'] = {}) {
  fakes.llm.setReplies([REPLY]);
  fakes.llm.options.retryAfter = retryAfter;
  const lines: string[] = [];
  // A generous TTS timeout: this file is about the LLM, and a busy machine must not fail a clause.
  const conversation = makeConversation(
    fakes,
    { llm: { maxRetries: 2, ...llm }, tts: { providers: { edge: { timeoutMs: 30_000 } } } },
    testLogger(lines),
  );
  return { conversation, lines };
}

/** Settles with 'settled', or 'still pending' if `promise` has not settled after `ms`. */
function within(promise: Promise<unknown>, ms: number): Promise<'settled' | 'still pending'> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'still pending'>((resolve) => (timer = setTimeout(resolve, ms, 'still pending')));
  return Promise.race([promise.then(() => 'settled' as const), bound]).finally(() => clearTimeout(timer));
}

describe('Retry-After from the LLM server', () => {
  it(
    'cancelling during an honoured wait takes effect at once, and a new turn starts',
    { timeout: 40_000 },
    async () => {
      // A cap above the wait, so Kiyo really sleeps on it (with the default cap it would refuse).
      const { conversation, lines } = setup({ 'retry-after': '50' }, { maxRetryWaitMs: 60_000 });
      const events: PipelineEvent[] = [];
      const runner = new TurnRunner(conversation, (e) => events.push(e), testLogger());
      fakes.llm.faults.push('http-429');
      const first = await runner.say('hello?');
      // The fault fired, and the client is sleeping on it.
      await vi.waitFor(() => expect(fakes.llm.retryAfterSent).toEqual([{ 'retry-after': '50' }]));
      await vi.waitFor(() => expect(lines.join('\n')).toMatch(/retrying in 50 s/), { timeout: 5000 });

      // 50 s is the server's wish; the bound here is far below it.
      expect(await within(runner.cancel(), 10_000)).toBe('settled');
      const ended = ofType(events, 'turn-end').find((e) => e.turnId === first);
      expect(ended?.reason).toBe('cancelled');
      expect(fakes.llm.requests).toHaveLength(1); // cancelled before the retry went out

      // A new turn interrupts a sleeping one too.
      fakes.llm.faults.push('http-429');
      await runner.say('hello again?');
      await vi.waitFor(() => expect(fakes.llm.retryAfterSent).toHaveLength(2));
      await vi.waitFor(() => expect(lines.filter((l) => /retrying in 50 s/.test(l))).toHaveLength(2), {
        timeout: 5000,
      });
      const third = runner.say('third time lucky');
      expect(await within(third, 10_000)).toBe('settled');
      // Audio takes its time on a busy machine: wait for the end, however long it takes.
      await vi.waitFor(() => expect(ofType(events, 'turn-end')).toHaveLength(3), { timeout: 20_000 });
      expect(ofType(events, 'turn-end').map((e) => [e.reason, e.text])).toEqual([
        ['cancelled', ''],
        ['cancelled', ''],
        ['complete', REPLY],
      ]);
      conversation.close();
    },
  );

  it.each([
    ['seconds', { 'retry-after': '3600' }],
    ['an HTTP date', { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() }],
    ['retry-after-ms', { 'retry-after-ms': '3600000' }],
  ])('a wait over the cap (%s) fails the reply at once with a plain message', async (_form, header) => {
    const { conversation, lines } = setup(header);
    fakes.llm.faults.push('http-429');
    const events = await collect(conversation.runTurn('hello?'));
    assertEventOrder(events);
    expect(fakes.llm.retryAfterSent).toEqual([header]);
    expect(fakes.llm.requests).toHaveLength(1);
    const [error] = ofType(events, 'error');
    expect(error?.code).toBe('llm-rate-limit');
    expect(error?.message).toMatch(
      /asks to wait 3[56]\d\d s before trying again, longer than the 5 s Kiyo waits/,
    );
    expect(ofType(events, 'turn-end')[0]!.reason).toBe('error');
    expect(lines.join('\n')).toMatch(/asks to wait 3[56]\d\d s/);
    conversation.close();
  });

  it.each([
    ['seconds', { 'retry-after': '1' }, /retrying in 1 s/],
    ['retry-after-ms', { 'retry-after-ms': '40' }, /retrying in 0\.04 s/],
    [
      'an HTTP date',
      { 'retry-after': new Date(Date.now() + 1000).toUTCString() },
      /retrying in [0-2](\.\d+)? s/,
    ],
  ])('a wait under the cap (%s) is honoured and the request retried', async (_form, header, logged) => {
    const { conversation, lines } = setup(header);
    fakes.llm.faults.push('http-429');
    const events = await collect(conversation.runTurn('hello?'));
    expect(fakes.llm.retryAfterSent).toEqual([header]);
    expect(fakes.llm.requests).toHaveLength(2);
    expect(lines.join('\n')).toMatch(logged);
    expect(ofType(events, 'error')).toEqual([]);
    expect(ofType(events, 'turn-end')[0]).toMatchObject({ reason: 'complete', text: REPLY });
    conversation.close();
  });

  it('a 500 asking for a long wait fails the same way, and the retries setting still counts', async () => {
    const { conversation } = setup({ 'retry-after-ms': '10' }, { maxRetries: 1 });
    fakes.llm.faults.push('http-500', 'http-500');
    const events = await collect(conversation.runTurn('hello?'));
    expect(fakes.llm.retryAfterSent).toHaveLength(2);
    expect(fakes.llm.requests).toHaveLength(2);
    expect(ofType(events, 'error')[0]?.code).toBe('llm-server');
    conversation.close();
  });
});

describe('end of the stream', () => {
  it('`data: [DONE]` without a finish_reason is a complete reply', async () => {
    fakes.llm.setReplies([REPLY]);
    fakes.llm.faults.push('done-without-finish');
    const conversation = makeConversation(fakes);
    const events = await collect(conversation.runTurn('hello?'));
    expect(fakes.llm.faults).toEqual([]); // the fault was used
    expect(ofType(events, 'error')).toEqual([]);
    expect(ofType(events, 'turn-end')[0]).toMatchObject({ reason: 'complete', text: REPLY });
    conversation.close();
  });
});
