import { pcmAt } from '../../../shared/audio-format';
import { PipelineError } from '../pipeline-error';
import { espeakWav } from './espeak-wasm';
import { parseWav, pcmBytes } from './pcm';
import type { ProviderEngine } from './providers/provider';
import { ESPEAK_SAMPLE_RATE, type OfflineSettings } from '../../../shared/tts-providers/offline';
import type { AudioChunk, SynthesisRequest } from './tts-engine';

/** 100 ms of 16-bit audio: small enough that playback starts at once. */
const CHUNK_BYTES = (ESPEAK_SAMPLE_RATE / 10) * 2;
const FORMAT = pcmAt(ESPEAK_SAMPLE_RATE);

/**
 * The espeak-ng voice for a sentence when the setting is `auto`: from its script, so a Japanese,
 * Chinese or Korean reply is not read with English rules, whatever voice service failed before.
 */
export function espeakVoiceForText(text: string): string {
  if (/[\u3040-\u30ff]/.test(text)) return 'ja';
  if (/[\uac00-\ud7af]/.test(text)) return 'ko';
  if (/[\u4e00-\u9fff]/.test(text)) return 'cmn';
  return 'en-us';
}

/**
 * The built-in voice: espeak-ng in WebAssembly, no network. Robotic, but Kiyo never goes silent
 * when the voice service is out of reach. Produces raw PCM, which the player needs no decoder for.
 */
export class OfflineTtsEngine implements ProviderEngine<OfflineSettings> {
  constructor(private settings: OfflineSettings) {}

  updateSettings(settings: OfflineSettings): void {
    this.settings = settings;
  }

  async *synthesize({ text, signal, onRequestSent }: SynthesisRequest): AsyncGenerator<AudioChunk> {
    onRequestSent?.();
    let pcm: Uint8Array;
    try {
      const wav = await espeakWav(text, {
        voice: this.settings.voice === 'auto' ? espeakVoiceForText(text) : this.settings.voice,
        speed: this.settings.speed,
        signal,
      });
      // espeak-ng's own rate, declared with the audio: no resampling on the way.
      const speech = parseWav(wav);
      if (speech.sampleRate !== ESPEAK_SAMPLE_RATE)
        throw new Error(`espeak-ng wrote ${speech.sampleRate} Hz audio`);
      pcm = pcmBytes(speech.samples);
    } catch (error) {
      if (signal.aborted) return;
      throw new PipelineError('tts-failed', `The offline voice failed: ${(error as Error).message}`, false, {
        cause: error,
      });
    }
    for (let offset = 0; offset < pcm.byteLength; offset += CHUNK_BYTES) {
      if (signal.aborted) return;
      yield { data: pcm.slice(offset, offset + CHUNK_BYTES), format: FORMAT };
    }
  }

  warm(): void {}

  close(): void {}
}
