import { describe, expect, it } from 'vitest';
import { boundaryWords } from '../../src/fakes/fake-edge-tts-server';
import { assertEventOrder, collect, makeConversation, ofType, testLogger } from '../helpers/pipeline-fixture';
import { useFakes } from '../helpers/use-fakes';

const fakes = useFakes();
/** A shared 2-core machine can take seconds to make a clause's speech: no timeout is tested here. */
const patient = { tts: { providers: { edge: { timeoutMs: 15_000 } } } };

describe('Edge word boundaries become `words` events', () => {
  it('every spoken word of every segment, in order, between its segment and segment-end', async () => {
    fakes.llm.setReplies(['Hello there, friend! I am Kiyo, your favourite streamer. Shall we play?']);
    const conversation = makeConversation(fakes, { ...patient, streaming: { synthesisAhead: 3 } });
    const events = await collect(conversation.runTurn('Hi!'));
    conversation.close();

    assertEventOrder(events);
    const segments = ofType(events, 'segment');
    expect(segments.length).toBeGreaterThan(1);
    for (const segment of segments) {
      const at = (type: string, index: number) =>
        events.findIndex(
          (e) =>
            e.type === type &&
            ('index' in e ? e.index === index : 'segmentIndex' in e && e.segmentIndex === index),
        );
      const words = events.flatMap((e, i) =>
        e.type === 'words' && e.segmentIndex === segment.index ? [{ i, words: e.words }] : [],
      );
      expect(words.length).toBeGreaterThan(0);
      for (const w of words) {
        expect(w.i).toBeGreaterThan(at('segment', segment.index));
        expect(w.i).toBeLessThan(at('segment-end', segment.index));
      }
      const timings = words.flatMap((w) => w.words);
      expect(timings.map((w) => w.text)).toEqual(boundaryWords(segment.spokenText, 'en-US-AnaNeural'));
      // In 100-ns ticks on the wire, milliseconds here, rising through the clause's audio.
      const offsets = timings.map((w) => w.offsetMs);
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
      expect(new Set(offsets).size).toBe(offsets.length);
      expect(timings.every((w) => w.durationMs > 0 && w.durationMs < 5000)).toBe(true);
    }
  });

  it('a clause whose word timing cannot be read keeps its audio; its subtitle stays whole', async () => {
    fakes.llm.setReplies(['Just one short clause here.']);
    const logs: string[] = [];
    const conversation = makeConversation(fakes, patient, testLogger(logs));
    // The fake's next answer carries a word boundary with a negative offset and no text.
    fakes.tts.metadataFaults.push('malformed-word-boundary');
    const events = await collect(conversation.runTurn('Hi!'));
    conversation.close();
    expect(fakes.tts.metadataFaults).toEqual([]); // the fault was used
    assertEventOrder(events);
    expect(ofType(events, 'turn-end')[0]!.reason).toBe('complete');
    expect(ofType(events, 'audio').length).toBeGreaterThan(0);
    expect(ofType(events, 'words')).toEqual([]);
    expect(logs.some((l) => l.includes('word timing Kiyo cannot read'))).toBe(true);
  });
});
