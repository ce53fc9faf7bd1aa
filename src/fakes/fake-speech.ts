import { Mp3Encoder } from '@breezystack/lamejs';

/**
 * Real, intelligible speech for the fake Edge server: espeak-ng (text2wav, WASM, no download)
 * resampled to 24 kHz and encoded as the MP3 Edge sends. Cached per text.
 */

export const SAMPLE_RATE = 24_000;
/** One MPEG-2 Layer III frame at 24 kHz holds 576 samples. */
export const MP3_FRAME_MS = (576 / SAMPLE_RATE) * 1000;

type Text2Wav = (text: string, options?: { voice?: string; speed?: number }) => Promise<Uint8Array>;
let text2wav: Promise<Text2Wav> | undefined;

async function loadText2Wav(): Promise<Text2Wav> {
  // On every call, Emscripten first tries to fetch its .wasm by file path, fails, says so and
  // falls back to reading the file. Those two lines are noise; everything else still prints.
  const noise = /wasm streaming compile failed|falling back to ArrayBuffer instantiation/;
  for (const name of ['warn', 'error'] as const) {
    const original = console[name];
    console[name] = (...args: unknown[]) => {
      if (!(typeof args[0] === 'string' && noise.test(args[0]))) original(...args);
    };
  }
  const module = (await import('text2wav')) as unknown as { default: Text2Wav };
  return withoutProcessHooks(module.default);
}

/**
 * Each text2wav call boots an Emscripten module that adds process-wide `uncaughtException` and
 * `unhandledRejection` handlers (the latter aborts the process). Those are removed again so a
 * host process keeps its own error handling and does not collect a listener per call. Calls are
 * also serialised: two at once share the module's state and crash it.
 */
function withoutProcessHooks(synthesize: Text2Wav): Text2Wav {
  const events: string[] = ['uncaughtException', 'unhandledRejection'];
  let previous: Promise<unknown> = Promise.resolve();
  return (text, options) => {
    const next = previous.then(() => once(text, options));
    previous = next.catch(() => {});
    return next;
  };
  async function once(text: string, options?: Parameters<Text2Wav>[1]): Promise<Uint8Array> {
    const emitter = process as unknown as NodeJS.EventEmitter;
    const before = events.map((event) => new Set(emitter.listeners(event)));
    const restore = () =>
      events.forEach((event, i) => {
        for (const listener of emitter.listeners(event)) {
          if (!before[i]!.has(listener))
            emitter.removeListener(event, listener as (...args: unknown[]) => void);
        }
      });
    // text2wav passes every extra argument (even undefined) on to espeak-ng.
    const pending = options ? synthesize(text, options) : synthesize(text);
    restore();
    try {
      return await pending;
    } finally {
      restore();
    }
  }
}

export interface Pcm {
  samples: Int16Array;
  sampleRate: number;
}

export function parseWav(wav: Uint8Array): Pcm {
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  let offset = 12;
  let sampleRate = 22_050;
  while (offset + 8 <= wav.byteLength) {
    const id = String.fromCharCode(...wav.subarray(offset, offset + 4));
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ') sampleRate = view.getUint32(offset + 12, true);
    if (id === 'data') {
      const end = Math.min(wav.byteLength, offset + 8 + size);
      const bytes = wav.slice(offset + 8, end - ((end - offset - 8) % 2));
      return { samples: new Int16Array(bytes.buffer), sampleRate };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('no data chunk in WAV');
}

export function resample(pcm: Pcm, rate: number): Int16Array {
  if (pcm.sampleRate === rate) return pcm.samples;
  const out = new Int16Array(Math.floor((pcm.samples.length * rate) / pcm.sampleRate));
  const step = pcm.sampleRate / rate;
  for (let i = 0; i < out.length; i++) {
    const x = i * step;
    const i0 = Math.floor(x);
    const a = pcm.samples[i0] ?? 0;
    const b = pcm.samples[i0 + 1] ?? a;
    out[i] = Math.round(a + (b - a) * (x - i0));
  }
  return out;
}

export function encodeMp3(samples: Int16Array, kbps: number): Uint8Array {
  const encoder = new Mp3Encoder(1, SAMPLE_RATE, kbps);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < samples.length; i += 1152 * 8)
    parts.push(encoder.encodeBuffer(samples.subarray(i, i + 1152 * 8)));
  parts.push(encoder.flush());
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** MPEG audio frames of an MP3 byte stream (frame boundaries let the server pace real time). */
export function splitMp3Frames(mp3: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let i = 0;
  const bitrates = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
  while (i + 4 <= mp3.length) {
    if (mp3[i] !== 0xff || (mp3[i + 1]! & 0xe0) !== 0xe0) {
      i++;
      continue;
    }
    const bitrate = bitrates[(mp3[i + 2]! >> 4) & 0x0f] ?? 0;
    const padding = (mp3[i + 2]! >> 1) & 1;
    if (bitrate === 0) {
      i++;
      continue;
    }
    // MPEG-2 Layer III: 576 samples per frame → 72 * bitrate / sampleRate bytes.
    const length = Math.floor((72 * bitrate * 1000) / SAMPLE_RATE) + padding;
    frames.push(mp3.subarray(i, i + length));
    i += length;
  }
  return frames;
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
      text2wav ??= loadText2Wav();
      const wav = await (await text2wav)(text.trim() || ' ');
      const mp3 = encodeMp3(resample(parseWav(wav), SAMPLE_RATE), kbps);
      const frames = splitMp3Frames(mp3);
      return { mp3, frames, durationMs: frames.length * MP3_FRAME_MS };
    })();
    cache.set(key, audio);
    if (cache.size > 500) cache.delete(cache.keys().next().value!);
  }
  return audio;
}
