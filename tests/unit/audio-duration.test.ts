import CodecParser from 'codec-parser';
import { describe, expect, it } from 'vitest';
import { encodeMp3, SAMPLE_RATE, speak } from '../../src/fakes/fake-speech';
import { AudioDuration } from '../../src/main/pipeline/audio-duration';
import { MP3, pcmAt } from '../../src/shared/audio-format';

/** The duration codec-parser (a full MP3 parser) reads from the same bytes: the reference. */
function referenceMs(mp3: Uint8Array): number {
  const frames = new CodecParser('audio/mpeg', { enableLogging: false }).parseAll(mp3) as unknown as {
    duration: number;
  }[];
  return frames.reduce((total, frame) => total + frame.duration, 0);
}

function measured(mp3: Uint8Array, chunk: number): number {
  const duration = new AudioDuration();
  let ms = 0;
  for (let i = 0; i < mp3.length; i += chunk) ms += duration.add(mp3.subarray(i, i + chunk), MP3);
  return ms + duration.flush();
}

describe('AudioDuration', () => {
  it('reads MP3 as a full parser does, at any bit rate and cut anywhere, down to single bytes', async () => {
    const streams = [
      encodeMp3(new Int16Array(SAMPLE_RATE * 4), 48),
      encodeMp3(new Int16Array(SAMPLE_RATE * 3), 128),
      (await speak('Every chunk of this sentence counts.')).mp3,
    ];
    for (const mp3 of streams) {
      const reference = referenceMs(mp3);
      expect(reference).toBeGreaterThan(1000);
      for (const chunk of [1, 3, 417, 4096, mp3.length])
        expect(measured(mp3, chunk)).toBeCloseTo(reference, 6);
    }
  });

  it('skips bytes that are not a frame and finds the frames after them', () => {
    const mp3 = encodeMp3(new Int16Array(SAMPLE_RATE), 48);
    const junk = new Uint8Array([0x49, 0x44, 0x33, 0xff, 0x00, 0x12, 0xff, 0xf0]);
    const withJunk = new Uint8Array(junk.length + mp3.length);
    withJunk.set(junk);
    withJunk.set(mp3, junk.length);
    expect(measured(withJunk, 500)).toBeCloseTo(referenceMs(mp3), 6);
  });

  it('reads PCM by its byte count at the rate it declares', () => {
    const duration = new AudioDuration();
    expect(duration.add(new Uint8Array(48_000), pcmAt(24_000))).toBe(1000);
    expect(duration.add(new Uint8Array(16_001), pcmAt(16_000))).toBe(500);
  });
});
