import { describe, expect, it } from 'vitest';
import { defaultPipelineSettings } from '../../src/shared/settings';
import { assertEventOrder, collect, makeConversation, ofType, testLogger } from '../helpers/pipeline-fixture';
import { useFakes } from '../helpers/use-fakes';

/**
 * A server that ignores max_tokens: 200 KB of reply, quickly (fast enough that the cap comes in a
 * fraction of a second, slow enough that the rest is still unsent when Kiyo stops reading).
 */
const fakes = useFakes({ ttftMs: 0, tokensPerSecond: 2000 });

const SENTENCE = 'This sentence goes on and on, because the server never stops talking. ';
const HUGE = SENTENCE.repeat(Math.ceil(200_000 / SENTENCE.length));

describe('one reply has a length cap', () => {
  it('is a few thousand characters by default', () => {
    expect(defaultPipelineSettings().llm.maxReplyChars).toBe(4000);
  });

  it.each([true, false])(
    'stops the stream at the cap and says so (streaming %s)',
    { timeout: 60_000 },
    async (streaming) => {
      expect(HUGE.length).toBeGreaterThan(200_000); // the fault: far more than any cap
      fakes.llm.setReplies([HUGE]);
      const abandoned = fakes.llm.abandoned;
      const lines: string[] = [];
      const conversation = makeConversation(
        fakes,
        {
          llm: { maxReplyChars: 1000 },
          streaming: { enabled: streaming },
          tts: { providers: { edge: { timeoutMs: 30_000 } } },
        },
        testLogger(lines),
      );
      const events = await collect(conversation.runTurn('tell me everything'));
      assertEventOrder(events);
      const end = ofType(events, 'turn-end')[0]!;
      expect(end.reason).toBe('complete');
      expect(end.text.length).toBeLessThanOrEqual(1000);
      expect(end.text.length).toBeGreaterThan(900);
      expect(HUGE.startsWith(end.text)).toBe(true);
      // Cut at a word, not in the middle of one.
      expect(HUGE[end.text.length]).toMatch(/\s/);
      const shown = ofType(events, 'text').reduce((n, e) => n + e.delta.length, 0);
      expect(shown).toBe(end.text.length);
      expect(ofType(events, 'segment').length).toBeLessThan(streaming ? 20 : 2);
      expect(ofType(events, 'error')).toEqual([]);
      expect(ofType(events, 'notice')).toEqual([
        expect.objectContaining({
          code: 'reply-truncated',
          message:
            'The reply was stopped after 1000 characters, the most one reply may have (Preferences → LLM → max reply).',
        }),
      ]);
      expect(lines.join('\n')).toMatch(/stopped after 1000 characters/);
      // The LLM request was abandoned, not read to its end.
      await expect.poll(() => fakes.llm.abandoned, { timeout: 5000 }).toBe(abandoned + 1);
      expect(conversation.history.snapshot()[1]?.content).toBe(end.text);
      conversation.close();
    },
  );
});
