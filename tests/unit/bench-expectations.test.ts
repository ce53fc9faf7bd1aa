import { describe, expect, it } from 'vitest';
import {
  benchReplyTokens,
  expectedSpeedup,
  marksFor,
  type ProfileSummary,
} from '../../src/cli/bench-expectations';
import { growthMbPer1000Turns, type HeapSample } from '../../src/cli/heap-growth';
import { PROFILES } from '../../src/fakes/profiles';

const MB = 2 ** 20;

describe('heap growth per 1,000 turns after the warm-up', () => {
  const readings = (perTurnBytes: number, baseline = 30 * MB) =>
    Array.from({ length: 21 }, (_, i): HeapSample => ({
      turn: 200 + i * 50,
      heapUsedBytes: baseline + i * 50 * perTurnBytes + (i % 2 ? 40_000 : -40_000), // GC noise
    }));

  it('shows a leak of 2 KB per turn as about 2 MB', () => {
    expect(growthMbPer1000Turns(readings(2048))).toBeCloseTo(1.95, 1);
  });

  it('is about zero for a flat heap, however much was allocated once before the baseline', () => {
    expect(Math.abs(growthMbPer1000Turns(readings(0, 38 * MB)))).toBeLessThan(0.1);
  });

  it('is the trend of all readings, not decided by one noisy reading at either end', () => {
    const flat = readings(0);
    flat[flat.length - 1]!.heapUsedBytes += MB; // one reading taken with a megabyte in flight
    expect(growthMbPer1000Turns(flat)).toBeLessThan(0.3);
  });
});

describe('the slow profile is marked against what its own upstreams allow', () => {
  const summary = (speedup: number, limitP50Ms: number): ProfileSummary => ({
    firstAudioP50Ms: limitP50Ms + 1,
    limitP50Ms,
    overheadP50Ms: 1,
    traditionalFirstAudioP50Ms: (limitP50Ms + 1) * speedup,
    speedup,
    gapsMs: 0,
    gapExcessMs: 0,
  });

  it('derives the expected speed-up from the profile: the whole reply plus TTS first byte over the limit', () => {
    const { llm, tts } = PROFILES.slow;
    const traditional = llm.ttftMs + ((benchReplyTokens() - 1) * 1000) / llm.tokensPerSecond + tts.ttfbMs;
    expect(expectedSpeedup('slow', 2000)).toBeCloseTo(traditional / 2000, 6);
    // A 12 tokens/s LLM leaves streaming a smaller head start than the realistic profile's 5×.
    expect(expectedSpeedup('slow', 2000)).toBeLessThan(5);
  });

  it('a slow-profile speed-up below 5× but near what its upstreams allow is ✓; far below is ✗', () => {
    const limit = 2000;
    const allowed = expectedSpeedup('slow', limit);
    const near = marksFor('slow', summary(allowed * 0.95, limit));
    expect(near.map(([, ok]) => ok)).toEqual([true, true, true]);
    expect(near[2]![0]).toBe('gaps added by the pipeline ≤ 20 ms');
    expect(near[1]![0]).toMatch(/^speed-up ≥ [\d.]+× \(90% of the [\d.]+× its upstreams allow\)$/);
    const far = marksFor('slow', summary(allowed * 0.5, limit));
    expect(far[1]![1]).toBe(false);
  });

  it('the realistic profile keeps the product targets', () => {
    expect(marksFor('realistic', summary(4.9, 700)).map(([name, ok]) => [name, ok])).toEqual([
      ['overhead p50 ≤ 10 ms', true],
      ['speed-up ≥ 5×', false],
      ['gaps ≤ 20 ms', true],
      ['gaps added by the pipeline ≤ 20 ms', true],
    ]);
  });

  it('a slow profile may have silences its upstreams force, but not ones the pipeline adds', () => {
    const forced = { ...summary(expectedSpeedup('slow', 2000), 2000), gapsMs: 1100, gapExcessMs: 3 };
    expect(marksFor('slow', forced).map(([, ok]) => ok)).toEqual([true, true, true]);
    const added = { ...forced, gapExcessMs: 250 };
    expect(marksFor('slow', added)[2]).toEqual(['gaps added by the pipeline ≤ 20 ms', false]);
  });
});
