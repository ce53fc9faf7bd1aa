import { Mp3Encoder } from '@breezystack/lamejs';
import CodecParser from 'codec-parser';
import { espeakWav } from '../main/pipeline/tts/espeak-wasm';
import { concatBytes } from '../shared/bytes';
import { parseWav, resample } from '../main/pipeline/tts/pcm';

/**
 * Real, intelligible speech for the fake Edge server: espeak-ng (text2wav, WASM, no download)
 * resampled to 24 kHz and encoded as the MP3 Edge sends. Cached per text.
 */

export const SAMPLE_RATE = 24_000;
/** One MPEG-2 Layer III frame at 24 kHz holds 576 samples. */
export const MP3_FRAME_MS = (576 / SAMPLE_RATE) * 1000;

export function encodeMp3(samples: Int16Array, kbps: number): Uint8Array {
  const encoder = new Mp3Encoder(1, SAMPLE_RATE, kbps);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < samples.length; i += 1152 * 8)
    parts.push(encoder.encodeBuffer(samples.subarray(i, i + 1152 * 8)));
  parts.push(encoder.flush());
  return concatBytes(parts);
}

/** MPEG audio frames of an MP3 byte stream (frame boundaries let the server pace real time). */
export function splitMp3Frames(mp3: Uint8Array): Uint8Array[] {
  return new CodecParser('audio/mpeg', { enableLogging: false }).parseAll(mp3).map((frame) => frame.data);
}

export interface SpokenAudio {
  mp3: Uint8Array;
  frames: Uint8Array[];
  durationMs: number;
}

const cache = new Map<string, Promise<SpokenAudio>>();

export function speak(text: string, kbps = 48): Promise<SpokenAudio> {
  const key = `${kbps}:${text}`;
  let audio = cache.get(key);
  if (!audio) {
    audio = (async () => {
      const wav = await espeakWav(text);
      const mp3 = encodeMp3(resample(parseWav(wav), SAMPLE_RATE), kbps);
      const frames = splitMp3Frames(mp3);
      return { mp3, frames, durationMs: frames.length * MP3_FRAME_MS };
    })();
    cache.set(key, audio);
    if (cache.size > 500) cache.delete(cache.keys().next().value!);
  }
  return audio;
}
