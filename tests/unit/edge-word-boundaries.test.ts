import { describe, expect, it } from 'vitest';
import { OrderedSynthesis } from '../../src/main/pipeline/ordered-synthesis';
import { parseWordBoundaries, WordBoundaryCollector } from '../../src/main/pipeline/tts/edge-word-boundaries';
import type { AudioChunk, TtsEngine } from '../../src/main/pipeline/tts/tts-engine';

const boundary = (Text: string, Offset: number, Duration = 2_000_000) => ({
  Type: 'WordBoundary',
  Data: { Offset, Duration, text: { Text, Length: Text.length, BoundaryType: 'WordBoundary' } },
});
const message = (...items: unknown[]) => JSON.stringify({ Metadata: items });

describe('Edge word boundary messages', () => {
  it('become words timed in ms; other metadata (SessionEnd, sentences) is skipped', () => {
    expect(
      parseWordBoundaries(
        message({ Type: 'SentenceBoundary', Data: { Offset: 0 } }, boundary('Hello', 1_000_000, 3_500_000), {
          Type: 'SessionEnd',
          Data: { Offset: 9_000_000 },
        }),
      ),
    ).toEqual([{ text: 'Hello', offsetMs: 100, durationMs: 350 }]);
  });

  it.each([
    ['not JSON', '{"Metadata":['],
    ['no Metadata array', '{"Words":[]}'],
    ['a negative offset', message(boundary('x', -1))],
    ['no text', message({ Type: 'WordBoundary', Data: { Offset: 1, Duration: 1, text: {} } })],
    ['an endless word', message(boundary('w'.repeat(5000), 1))],
  ])('that are malformed (%s) are refused', (_why, body) => {
    expect(() => parseWordBoundaries(body)).toThrow();
  });

  it('are collected until taken, once each, even when a resumed clause repeats them', () => {
    const problems: string[] = [];
    const words = new WordBoundaryCollector((m) => problems.push(m));
    words.add(message(boundary('one', 0)));
    words.add(message(boundary('two', 2_000_000)));
    expect(words.take()?.map((w) => w.text)).toEqual(['one', 'two']);
    expect(words.take()).toBeUndefined();
    // The clause restarted on a new socket: the service times it from the start again.
    words.add(message(boundary('one', 0)));
    words.add(message(boundary('two', 2_000_000)));
    words.add(message(boundary('three', 4_000_000)));
    expect(words.take()?.map((w) => w.text)).toEqual(['three']);
    expect(problems).toEqual([]);
  });

  it('stop for the clause at the first unreadable message, which is logged', () => {
    const problems: string[] = [];
    const words = new WordBoundaryCollector((m) => problems.push(m));
    words.add(message(boundary('one', 0)));
    words.add('garbage');
    words.add(message(boundary('two', 2_000_000)));
    expect(words.take()).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('word timing Kiyo cannot read');
  });
});

describe('OrderedSynthesis with word timing', () => {
  const FORMAT = { codec: 'mp3' } as const;
  const bytes = (n: number) => new Uint8Array(n).fill(1);
  const word = (text: string, offsetMs: number) => ({ text, offsetMs, durationMs: 100 });

  /** Segment 1 finishes first, so its chunks (with their words) are buffered and merged. */
  const engine: TtsEngine = {
    async *synthesize({ text }): AsyncGenerator<AudioChunk> {
      if (text === 'a') await new Promise((r) => setTimeout(r, 20));
      yield { data: bytes(10), format: FORMAT, words: [word(`${text}1`, 0)] };
      yield { data: bytes(10), format: FORMAT };
      yield { data: bytes(10), format: FORMAT, words: [word(`${text}2`, 200)] };
      // Words reported after the last audio travel alone (later, for segment 0).
      if (text === 'a') await new Promise((r) => setTimeout(r, 5));
      yield { data: new Uint8Array(0), format: FORMAT, words: [word(`${text}3`, 400)] };
    },
    warm() {},
    close() {},
  };

  it('delivers each segment words before its audio and before its end, merged with buffered audio', async () => {
    const log: string[] = [];
    const synthesis = new OrderedSynthesis(
      engine,
      { ahead: 2, chunkBytes: 1000, signal: new AbortController().signal },
      {
        audio: (i, seq, chunk) => log.push(`audio ${i}.${seq} ${chunk.data.byteLength}`),
        words: (i, words) => log.push(`words ${i} ${words.map((w) => w.text).join(',')}`),
        segmentEnd: (i) => log.push(`end ${i}`),
        requestSent: () => {},
        firstByte: () => {},
      },
    );
    synthesis.add(0, 'a');
    synthesis.add(1, 'b');
    synthesis.finish();
    await synthesis.done;
    expect(log).toEqual([
      'words 0 a1',
      'audio 0.0 20',
      'words 0 a2',
      'audio 0.1 10',
      // Words without audio: no empty audio message goes out.
      'words 0 a3',
      'end 0',
      // Buffered while segment 0 played: one message of audio, its words all before it.
      'words 1 b1,b2,b3',
      'audio 1.0 30',
      'end 1',
    ]);
  });
});
