import { describe, expect, it } from 'vitest';
import { matchUtterance, rmsEnvelope } from '../../src/fakes/utterance-matcher';

const RATE = 16_000;

/** A "syllable" pattern: bursts of tone with gaps, like the loudness of speech. */
function bursts(pattern: number[], gain = 8000): Int16Array {
  const out: number[] = [];
  for (const ms of pattern) {
    const n = (Math.abs(ms) * RATE) / 1000;
    for (let i = 0; i < n; i++) out.push(ms > 0 ? Math.round(Math.sin(i / 3) * gain) : 0);
  }
  return Int16Array.from(out);
}
const pad = (samples: Int16Array, leadMs: number, tailMs: number) => {
  const out = new Int16Array(samples.length + ((leadMs + tailMs) * RATE) / 1000);
  out.set(samples, (leadMs * RATE) / 1000);
  return out;
};

const A = bursts([200, -100, 300, -60, 120, -200, 400]);
const B = bursts([80, -300, 80, -300, 500, -40, 90]);
const known = [
  { text: 'a', envelope: rmsEnvelope(A, RATE) },
  { text: 'b', envelope: rmsEnvelope(B, RATE) },
];

describe('matchUtterance (the fake transcription server)', () => {
  it('finds each known utterance inside silence, at another gain', () => {
    expect(matchUtterance(pad(A, 400, 500), RATE, known).match?.text).toBe('a');
    expect(
      matchUtterance(pad(bursts([80, -300, 80, -300, 500, -40, 90], 2000), 300, 900), RATE, known).match
        ?.text,
    ).toBe('b');
  });

  it('gives nothing for silence, and no match for a different sound', () => {
    expect(matchUtterance(new Int16Array(RATE), RATE, known)).toEqual({ silent: true });
    const other = bursts([50, -50, 50, -50, 50, -50, 50, -50, 50, -50, 50, -50, 50, -50, 50, -50]);
    expect(matchUtterance(pad(other, 400, 400), RATE, known)).toEqual({ silent: false });
  });
});
