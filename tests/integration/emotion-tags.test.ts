import { describe, expect, it } from 'vitest';
import { useFakes } from '../helpers/use-fakes';
import { assertEventOrder, collect, makeConversation, ofType, testLogger } from '../helpers/pipeline-fixture';
import { CHAT_REPLIES } from '../../src/fakes/canned-replies';

const fakes = useFakes();

const TAG = /\[\s*\w+\s*\]|\[/;
/** A busy machine (two cores, espeak-ng encoding in the fake) may take longer than 2 s to connect. */
const PATIENT = { tts: { providers: { edge: { timeoutMs: 15_000 } } } };

describe('emotion tags through a whole turn (real SDK, fake LLM and Edge)', () => {
  it('never reach the voice, the subtitles or the reply text; segments carry them; the history keeps them', async () => {
    // Tags split across tokens however the fake streams them, a made-up one, and a citation.
    fakes.llm.setReplies([
      '[joy] Hehe, you made it! [surprised] Wait, is that cake? [foo] As [1] says, [thinking] cake is life.',
    ]);
    const lines: string[] = [];
    const conversation = makeConversation(fakes, PATIENT, testLogger(lines));
    const sentBefore = fakes.tts.requests.length;
    const events = await collect(conversation.runTurn('hi'));
    conversation.close();
    assertEventOrder(events);
    expect(ofType(events, 'turn-end')[0]!.reason).toBe('complete');

    // The fault: the LLM really sent the tags.
    expect(fakes.llm.replyAt(0)).toContain('[joy]');
    const spoken = fakes.tts.requests.slice(sentBefore).map((r) => r.text);
    expect(spoken.length).toBeGreaterThan(0);
    expect(spoken.join(' ')).not.toMatch(/joy|surprised|foo|thinking/);
    expect(spoken.join(' ')).toContain('As [1] says'); // a citation is text, not a tag

    const segments = ofType(events, 'segment');
    expect(segments.map((s) => s.emotion).filter(Boolean)).toEqual(['joy', 'surprised', 'thinking']);
    for (const s of segments) {
      expect(s.displayText.replace('[1]', '')).not.toMatch(TAG);
      expect(s.spokenText.replace('[1]', '')).not.toMatch(/\[|joy|surprised|foo|thinking/);
    }
    const shown = ofType(events, 'text')
      .map((e) => e.delta)
      .join('');
    expect(shown).toBe('Hehe, you made it! Wait, is that cake? As [1] says, cake is life.');
    const end = ofType(events, 'turn-end')[0]!;
    expect(end.text).toBe(shown);
    expect(end.spokenText).not.toMatch(/joy|surprised|foo|thinking/);

    // The model sees its own tags next turn, and was asked for them in the system prompt.
    expect(conversation.history.snapshot().at(-1)?.content).toBe(
      '[joy] Hehe, you made it! [surprised] Wait, is that cake? As [1] says, [thinking] cake is life.',
    );
    const system = fakes.llm.requests.at(-1)!.messages[0]!;
    expect(system.role).toBe('system');
    expect(system.content).toContain('[joy] [sad] [angry] [surprised] [thinking] [shy] [neutral]');
    expect(lines.some((l) => l.includes('[foo]'))).toBe(true);
  }, 60_000);

  it("the fake's default reply is tagged, and its tags come out", async () => {
    fakes.llm.setReplies(CHAT_REPLIES);
    const conversation = makeConversation(fakes, PATIENT);
    const sentBefore = fakes.tts.requests.length;
    const events = await collect(conversation.runTurn('Hello!'));
    conversation.close();
    expect(fakes.llm.replyAt(0)).toMatch(/^\[joy\]/);
    expect(ofType(events, 'segment')[0]?.emotion).toBe('joy');
    expect(ofType(events, 'turn-end')[0]!.text).not.toMatch(TAG);
    expect(
      fakes.tts.requests
        .slice(sentBefore)
        .map((r) => r.text)
        .join(''),
    ).not.toMatch(/\[/);
  }, 60_000);
});
