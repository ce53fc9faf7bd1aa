import { describe, expect, it } from 'vitest';
import { OrderedSynthesis } from '../../src/main/pipeline/ordered-synthesis';
import type { AudioChunk, SynthesisRequest, TtsEngine } from '../../src/main/pipeline/tts/tts-engine';

const FORMAT = { codec: 'mp3' } as const;
const chunk = (text: string): AudioChunk => ({ data: new TextEncoder().encode(text), format: FORMAT });

/** Lets `turns` rounds of the event loop pass: a delay measured in turns, not milliseconds. */
async function turnsPass(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

/**
 * An engine whose clauses take random (seeded) numbers of event-loop turns per chunk, so later
 * ones often finish first; deterministic, and independent of the machine's speed.
 */
class ShuffledEngine implements TtsEngine {
  active = 0;
  maxActive = 0;
  started: string[] = [];
  finished: string[] = [];
  private seedState: number;
  constructor(seed = 1) {
    this.seedState = seed;
  }
  private random(): number {
    // Deterministic, so a failure is reproducible.
    this.seedState = (this.seedState * 16807) % 2147483647;
    return this.seedState / 2147483647;
  }
  async *synthesize({ text, signal, onRequestSent }: SynthesisRequest): AsyncGenerator<AudioChunk> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    this.started.push(text);
    onRequestSent?.();
    try {
      for (let i = 0; i < 4; i++) {
        await turnsPass(Math.floor(this.random() * 15));
        if (signal.aborted) return;
        yield chunk(`${text}:${i};`);
      }
      this.finished.push(text);
    } finally {
      this.active--;
    }
  }
  warm(): void {}
  close(): void {}
}

function run(
  engine: TtsEngine,
  count: number,
  options: { ahead: number; chunkBytes: number },
  abortAfter?: number,
) {
  const controller = new AbortController();
  const log: string[] = [];
  const synthesis = new OrderedSynthesis(
    engine,
    { ...options, signal: controller.signal },
    {
      audio: (index, seq, data) => {
        log.push(`audio ${index}.${seq} ${new TextDecoder().decode(data.data)}`);
        if (abortAfter !== undefined && log.length >= abortAfter) controller.abort();
      },
      segmentEnd: (index) => log.push(`end ${index}`),
      requestSent: () => {},
      firstByte: () => {},
    },
  );
  for (let i = 0; i < count; i++) synthesis.add(i, `s${i}`);
  synthesis.finish();
  return { synthesis, log };
}

describe('OrderedSynthesis', () => {
  it.each([1, 2, 3, 7])('delivers in order whatever finishes first, at most %i at once', async (ahead) => {
    const engine = new ShuffledEngine(ahead);
    const { synthesis, log } = run(engine, 8, { ahead, chunkBytes: 1 });
    await synthesis.done;
    const expected = Array.from({ length: 8 }, (_, s) => [
      ...Array.from({ length: 4 }, (_, i) => `audio ${s}.${i} s${s}:${i};`),
      `end ${s}`,
    ]).flat();
    expect(log).toEqual(expected);
    expect(engine.maxActive).toBeLessThanOrEqual(ahead);
    if (ahead > 1) {
      expect(engine.maxActive).toBeGreaterThan(1);
      // The reordering was really exercised: some clause finished before an earlier one.
      expect(engine.finished).not.toEqual(engine.started);
    }
  });

  it('merges audio that is already buffered, up to the chunk size, without reordering', async () => {
    const engine = new ShuffledEngine(5);
    const { synthesis, log } = run(engine, 4, { ahead: 4, chunkBytes: 1000 });
    await synthesis.done;
    const text = log
      .filter((l) => l.startsWith('audio'))
      .map((l) => l.split(' ')[2])
      .join('');
    expect(text).toBe(
      Array.from({ length: 4 }, (_, s) => [0, 1, 2, 3].map((i) => `s${s}:${i};`).join('')).join(''),
    );
    expect(log.filter((l) => l.startsWith('audio')).length).toBeLessThan(16);
  });

  it('stops delivering and starting clauses once aborted', async () => {
    const engine = new ShuffledEngine(9);
    const { synthesis, log } = run(engine, 8, { ahead: 2, chunkBytes: 1 }, 5);
    await synthesis.done;
    await synthesis.settled();
    expect(log.filter((l) => l.startsWith('audio'))).toHaveLength(5);
    expect(engine.active).toBe(0);
    expect(engine.started.length).toBeLessThanOrEqual(3);
  });

  it('rejects with the failure of a clause after delivering the ones before it', async () => {
    const engine: TtsEngine = {
      async *synthesize({ text }) {
        if (text === 's1') throw new Error('boom');
        yield chunk(text);
      },
      warm() {},
      close() {},
    };
    const { synthesis, log } = run(engine, 3, { ahead: 3, chunkBytes: 100 });
    await expect(synthesis.done).rejects.toThrow('boom');
    expect(log).toEqual(['audio 0.0 s0', 'end 0']);
  });
});
