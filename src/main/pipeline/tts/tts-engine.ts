import type { AudioFormat } from '../../../shared/settings';

export interface SynthesisRequest {
  /** Plain text to speak (no markup). */
  text: string;
  signal: AbortSignal;
  /** Called once the request is on the wire (a connection was acquired), for latency marks. */
  onRequestSent?: () => void;
}

/** A streaming text-to-speech engine: audio bytes of one clause as they are produced. */
export interface TtsEngine {
  readonly format: AudioFormat;
  /** Yields encoded audio chunks; throws PipelineError; returns quietly on abort. */
  synthesize(request: SynthesisRequest): AsyncIterable<Uint8Array>;
  /** Gets connections ready in the background so the next clause pays no handshake. */
  warm(): void;
  close(): void;
}
