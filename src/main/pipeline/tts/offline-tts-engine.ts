import { PCM_FORMAT, PCM_SAMPLE_RATE, type TtsSettings } from '../../../shared/settings';
import { PipelineError } from '../pipeline-error';
import { espeakWav } from './espeak-wasm';
import { parseWav, pcmBytes, resample } from './pcm';
import type { AudioChunk, SynthesisRequest, TtsEngine } from './tts-engine';

/** espeak-ng voices for the languages of Edge voices (the part before the region). */
const ESPEAK_VOICE: Record<string, string> = { zh: 'cmn', yue: 'yue', ja: 'ja', ko: 'ko', en: 'en-us' };
/** 100 ms of 24 kHz 16-bit audio: small enough that playback starts at once. */
const CHUNK_BYTES = (PCM_SAMPLE_RATE / 10) * 2;

export function espeakVoiceFor(edgeVoice: string): string {
  const [language = 'en', region = ''] = edgeVoice.split('-');
  if (language === 'en' && region === 'GB') return 'en-gb';
  return ESPEAK_VOICE[language] ?? language;
}

/**
 * The built-in voice: espeak-ng in WebAssembly, no network. Robotic, but Kiyo never goes silent
 * when Edge is out of reach. Produces raw PCM, which the player needs no decoder for.
 */
export class OfflineTtsEngine implements TtsEngine {
  constructor(private settings: TtsSettings) {}

  configure(settings: TtsSettings): void {
    this.settings = settings;
  }

  async *synthesize({ text, signal, onRequestSent }: SynthesisRequest): AsyncGenerator<AudioChunk> {
    onRequestSent?.();
    let pcm: Uint8Array;
    try {
      const wav = await espeakWav(text, {
        voice: espeakVoiceFor(this.settings.voice),
        speed: Math.round(175 * (1 + this.settings.rate / 100)),
        signal,
      });
      pcm = pcmBytes(resample(parseWav(wav), PCM_SAMPLE_RATE));
    } catch (error) {
      if (signal.aborted) return;
      throw new PipelineError(
        'tts-failed',
        `The offline voice failed too: ${(error as Error).message}`,
        false,
        {
          cause: error,
        },
      );
    }
    for (let offset = 0; offset < pcm.byteLength; offset += CHUNK_BYTES) {
      if (signal.aborted) return;
      yield { data: pcm.slice(offset, offset + CHUNK_BYTES), format: PCM_FORMAT };
    }
  }

  warm(): void {}

  close(): void {}
}
