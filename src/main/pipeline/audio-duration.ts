import type { StreamAudioFormat } from '../../shared/audio-format';

/** Layer III bit rates in kbit/s by index: MPEG-1, then MPEG-2 and 2.5. */
const KBPS_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const KBPS_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
/** Sample rates by index for MPEG-2.5 (version bits 0), -2 (2) and -1 (3). */
const RATES: Record<number, number[]> = {
  0: [11025, 12000, 8000],
  2: [22050, 24000, 16000],
  3: [44100, 48000, 32000],
};

/**
 * How long a turn's streamed audio plays, chunk by chunk, as the player will hear it: raw PCM by
 * its byte count and declared rate, MP3 by walking its Layer III frame headers (each says its
 * length, rate and so its duration; any bit rate, VBR too, and any chunking). Hand-written
 * rather than codec-parser, which checks every frame and costs up to a millisecond a chunk: this
 * runs on every audio event main publishes. One per turn: a frame may straddle chunks.
 */
export class AudioDuration {
  /** Bytes of the current MP3 frame still to come in later chunks. */
  private skip = 0;
  /** The start of a frame header cut off at the end of the last chunk (under 4 bytes). */
  private carry = new Uint8Array(0);

  /** Milliseconds of audio in `data` (an MP3 frame counts when its header arrives). */
  add(data: Uint8Array, format: StreamAudioFormat): number {
    if (format.codec === 'pcm') return ((data.byteLength >> 1) / format.sampleRate) * 1000;
    let bytes = data;
    if (this.carry.length > 0) {
      bytes = new Uint8Array(this.carry.length + data.length);
      bytes.set(this.carry);
      bytes.set(data, this.carry.length);
      this.carry = new Uint8Array(0);
    }
    if (this.skip >= bytes.length) {
      this.skip -= bytes.length;
      return 0;
    }
    let ms = 0;
    let i = this.skip;
    this.skip = 0;
    while (i + 4 <= bytes.length) {
      const frame = frameAt(bytes, i);
      if (!frame) {
        i++; // not a frame header (junk, a tag): look for the next sync
        continue;
      }
      ms += frame.ms;
      i += frame.length;
    }
    if (i > bytes.length) this.skip = i - bytes.length;
    else this.carry = bytes.slice(i);
    return ms;
  }

  /** The turn's audio has ended (every MP3 frame was counted as its header arrived). */
  flush(): number {
    this.skip = 0;
    this.carry = new Uint8Array(0);
    return 0;
  }
}

/** The MPEG audio Layer III frame whose header starts at `i`, if one does. */
function frameAt(b: Uint8Array, i: number): { length: number; ms: number } | undefined {
  if (b[i] !== 0xff || (b[i + 1]! & 0xe0) !== 0xe0) return undefined;
  const version = (b[i + 1]! >> 3) & 3;
  const layer = (b[i + 1]! >> 1) & 3;
  const bitrateIndex = b[i + 2]! >> 4;
  const rateIndex = (b[i + 2]! >> 2) & 3;
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3)
    return undefined;
  const mpeg1 = version === 3;
  const kbps = (mpeg1 ? KBPS_V1 : KBPS_V2)[bitrateIndex]!;
  const rate = RATES[version]![rateIndex]!;
  const padding = (b[i + 2]! >> 1) & 1;
  const samples = mpeg1 ? 1152 : 576;
  return {
    length: Math.floor(((samples / 8) * kbps * 1000) / rate) + padding,
    ms: (samples / rate) * 1000,
  };
}
