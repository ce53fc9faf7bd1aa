import { describe, expect, it } from 'vitest';
import { useFakes } from '../helpers/use-fakes';
import { assertEventOrder, collect, makeConversation, ofType } from '../helpers/pipeline-fixture';

const fakes = useFakes();

describe('a reply with nothing to say aloud', () => {
  it.each([true, false])('says so with a notice instead of silence (streaming %s)', async (enabled) => {
    fakes.llm.setReplies(['🎉✨💖 *waves*']);
    const conversation = makeConversation(fakes, { streaming: { enabled } });
    const events = await collect(conversation.runTurn('emoji please'));
    conversation.close();
    assertEventOrder(events);
    // The fault: a complete reply with text, and nothing spoken.
    expect(ofType(events, 'turn-end')[0]).toMatchObject({ reason: 'complete', text: '🎉✨💖 *waves*' });
    expect(ofType(events, 'audio')).toEqual([]);
    expect(ofType(events, 'notice')).toEqual([
      expect.objectContaining({ code: 'reply-unspeakable', message: expect.stringContaining('nothing') }),
    ]);
    expect(ofType(events, 'error')).toEqual([]);
  });

  it('an ordinary reply gets no such notice', async () => {
    fakes.llm.setReplies(['Hello there, nice to meet you!']);
    // A loaded machine may take seconds to start the fake voice; that is not what is tested here.
    const conversation = makeConversation(fakes, { tts: { providers: { edge: { timeoutMs: 15_000 } } } });
    const events = await collect(conversation.runTurn('hi'));
    conversation.close();
    expect(ofType(events, 'audio').length).toBeGreaterThan(0);
    expect(ofType(events, 'notice')).toEqual([]);
  });
});
