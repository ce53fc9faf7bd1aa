/**
 * Turns one utterance (16 kHz mono WAV) into text. Implementations throw a PipelineError with an
 * `stt-*` code (transcription-errors.ts) and stop at once when `signal` aborts.
 */
export interface Transcriber {
  transcribe(wav: Uint8Array, signal: AbortSignal): Promise<string>;
}
