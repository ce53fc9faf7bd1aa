import type { StreamAudioFormat } from '../../../shared/audio-format';

export interface AudioChunk {
  data: Uint8Array;
  format: StreamAudioFormat;
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
}
