import { Mp3Encoder } from '@breezystack/lamejs';
import CodecParser from 'codec-parser';
import { espeakWav } from '../main/pipeline/tts/espeak-wasm';
import { espeakVoiceForText } from '../main/pipeline/tts/offline-tts-engine';
import { concatBytes } from '../shared/bytes';
import { parseWav, pcmBytes, resample } from '../main/pipeline/tts/pcm';

/**
 * Real, intelligible speech for the fake Edge server: espeak-ng (text2wav, WASM, no download) in
 * the language of the requested Edge voice (zh-CN-… speaks Mandarin, ja-JP-… Japanese), resampled
 * to 24 kHz and encoded as the MP3 Edge sends. Cached per text, voice and bit rate.
 */

export const SAMPLE_RATE = 24_000;
/** One MPEG-2 Layer III frame at 24 kHz holds 576 samples. */
export const MP3_FRAME_MS = (576 / SAMPLE_RATE) * 1000;

/** Samples lamejs encodes at a time: two frames' worth (48 ms of audio). */
const ENCODE_SLICE = 1152;

export function encodeMp3(samples: Int16Array, kbps: number): Uint8Array {
  const encoder = new Mp3Encoder(1, SAMPLE_RATE, kbps);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < samples.length; i += ENCODE_SLICE)
    parts.push(encoder.encodeBuffer(samples.subarray(i, i + ENCODE_SLICE)));
  parts.push(encoder.flush());
  return concatBytes(parts);
}

/**
 * The same bytes as encodeMp3, with a turn of the event loop after each slice: lamejs is plain
 * JavaScript and takes about as long as espeak-ng, so encoding a clause in one go would stall the
 * fake's other connections (and everything else in a test process) for up to seconds.
 */
export async function encodeMp3Yielding(samples: Int16Array, kbps: number): Promise<Uint8Array> {
  const encoder = new Mp3Encoder(1, SAMPLE_RATE, kbps);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < samples.length; i += ENCODE_SLICE) {
    parts.push(encoder.encodeBuffer(samples.subarray(i, i + ENCODE_SLICE)));
    await new Promise((resolve) => setImmediate(resolve));
  }
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

export interface SpeakOptions {
  /** The Edge voice asked for; its language picks the espeak-ng voice. */
  voice?: string;
  kbps?: number;
}

/** The Edge voice the fake speaks with when none is named (the settings' default). */
export const DEFAULT_EDGE_VOICE = 'en-US-AnaNeural';

/** espeak-ng voices for the languages of Edge voices (the part before the region). */
const ESPEAK_VOICE: Record<string, string> = { zh: 'cmn', yue: 'yue', ja: 'ja', ko: 'ko', en: 'en-us' };

export function espeakVoiceFor(edgeVoice: string): string {
  const [language = 'en', region = ''] = edgeVoice.split('-');
  if (language === 'en' && region === 'GB') return 'en-gb';
  return ESPEAK_VOICE[language] ?? language;
}

const cache = new Map<string, Promise<SpokenAudio>>();

export function speak(
  text: string,
  { voice = DEFAULT_EDGE_VOICE, kbps = 48 }: SpeakOptions = {},
): Promise<SpokenAudio> {
  const espeakVoice = espeakVoiceFor(voice);
  const key = `${kbps}:${espeakVoice}:${text}`;
  let audio = cache.get(key);
  if (!audio) {
    audio = (async () => {
      const wav = await espeakWav(text, { voice: espeakVoice });
      const mp3 = await encodeMp3Yielding(resample(parseWav(wav), SAMPLE_RATE), kbps);
      const frames = splitMp3Frames(mp3);
      return { mp3, frames, durationMs: frames.length * MP3_FRAME_MS };
    })();
    cache.set(key, audio);
    if (cache.size > 500) cache.delete(cache.keys().next().value!);
  }
  return audio;
}

export interface SpokenPcm {
  /** 16-bit little-endian mono samples. */
  pcm: Uint8Array;
  sampleRate: number;
}

const pcmCache = new Map<string, Promise<SpokenPcm>>();

/**
 * The same espeak-ng speech as raw PCM at `sampleRate`, for the fake OpenAI-compatible speech
 * server; the language follows the script of the text (OpenAI voices name no language).
 */
export function speakPcm(text: string, sampleRate: number, speed = 1): Promise<SpokenPcm> {
  const voice = espeakVoiceForText(text);
  const key = `${sampleRate}:${speed}:${voice}:${text}`;
  let audio = pcmCache.get(key);
  if (!audio) {
    audio = (async () => {
      const wav = await espeakWav(text, { voice, speed: Math.round(175 * speed) });
      return { pcm: pcmBytes(resample(parseWav(wav), sampleRate)), sampleRate };
    })();
    pcmCache.set(key, audio);
    if (pcmCache.size > 200) pcmCache.delete(pcmCache.keys().next().value!);
  }
  return audio;
}
