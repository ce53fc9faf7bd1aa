/**
 * The fake speech server's MP3 encoding (lamejs, plain JavaScript) lets the event loop turn while
 * it works through a clause, and gives the same bytes as the one-go encoder.
 */
import { describe, expect, it } from 'vitest';
import { encodeMp3, encodeMp3Yielding, SAMPLE_RATE } from '../../src/fakes/fake-speech';

/** Two seconds of a tone: many encoder slices. */
const samples = Int16Array.from({ length: SAMPLE_RATE * 2 }, (_, i) => Math.round(Math.sin(i / 8) * 8000));

describe('encodeMp3Yielding', () => {
  it('turns the event loop between slices and gives the same bytes as encodeMp3', async () => {
    let turns = 0;
    let counting = true;
    const count = () => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const mp3 = await encodeMp3Yielding(samples, 48);
    counting = false;
    // One turn per slice of 1,152 samples, give or take the ends.
    expect(turns).toBeGreaterThan(samples.length / 1152 / 2);
    expect(Buffer.from(mp3).equals(Buffer.from(encodeMp3(samples, 48)))).toBe(true);
  });
});
