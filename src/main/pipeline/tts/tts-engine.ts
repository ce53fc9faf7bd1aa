import type { StreamAudioFormat } from '../../../shared/audio-format';
import type { WordTiming } from '../../../shared/pipeline-events';

export interface AudioChunk {
  /** May be empty when the chunk only carries `words` (boundaries reported after the last audio). */
  data: Uint8Array;
  format: StreamAudioFormat;
  /**
   * Word boundaries the voice reported since the previous chunk (Edge), timed from the clause's
   * first sample. Voices without word timing never set it.
   */
  words?: WordTiming[];
}

export interface SynthesisRequest {
  /** Plain text to speak (no markup). */
  text: string;
  signal: AbortSignal;
  /** Called once the request is on the wire (a connection was acquired), for latency marks. */
  onRequestSent?: () => void;
  /** Something the listener should know (the voice switched to the offline fallback and back). */
  onNotice?: (notice: TtsNotice) => void;
}

export interface TtsNotice {
  code: 'tts-offline' | 'tts-online';
  message: string;
}

/** A streaming text-to-speech engine: audio bytes of one clause as they are produced. */
export interface TtsEngine {
  /** Yields audio chunks as they are produced; throws PipelineError; returns quietly on abort. */
  synthesize(request: SynthesisRequest): AsyncIterable<AudioChunk>;
  /** Gets connections ready in the background so the next clause pays no handshake. */
  warm(): void;
  close(): void;
  /**
   * Audio of `text` already in the phrase cache for the voice that would speak it now, without
   * waiting or asking the service (the instant first sound); undefined when not cached.
   */
  cachedAudio?(text: string): AudioChunk[] | undefined;
}

/** What the phrase cache is told on start and on every settings change (phrase-preloader.ts). */
export interface PhraseCacheOptions {
  maxBytes: number;
  /** Spoken texts to have in the cache for the chosen voice: common phrases and fillers. */
  preload: string[];
}
