import { detectorHangoverMs, type Utterance } from '../../../shared/voice-input';
import type { LatencyOrigin, LatencyRecorder } from '../latency';
import type { Transcriber } from './transcriber';

/**
 * What a voice turn adds before the reply: where its zero is (the end of speech) and how to get
 * its text. The conversation calls {@link hearInTurn} right after `turn-start`.
 */
export interface VoiceTurnInput {
  /** The end of speech: every mark of the turn, and `inputAt`, count from it. */
  origin: LatencyOrigin;
  /** ms after the end of speech at which the page's detector decided the user had finished; absent on a retry. */
  hangoverMs?: number;
  transcribe(signal: AbortSignal): Promise<string>;
}

/**
 * Transcribes a voice turn's utterance inside the turn: marks `speechEndDetected` and
 * `transcriptReady`, and hands the transcript to `onTranscript` (the `transcript` event) before the
 * reply starts. A failure is thrown as the transcriber's `stt-*` PipelineError.
 */
export async function hearInTurn(
  voice: VoiceTurnInput,
  turn: { signal: AbortSignal; latency: LatencyRecorder; onTranscript(text: string): void },
): Promise<string> {
  if (voice.hangoverMs !== undefined) turn.latency.set('speechEndDetected', voice.hangoverMs);
  const text = await voice.transcribe(turn.signal);
  turn.latency.mark('transcriptReady');
  turn.onTranscript(text);
  return text;
}

/**
 * The voice side of the turn runner: turns an utterance from the page into a {@link VoiceTurnInput},
 * and keeps the last utterance whose transcription failed, so "retry" sends it again and nothing
 * the user said is lost to a network blip. A transcript that comes back, or a newer utterance
 * that fails, replaces it.
 */
export class VoiceTurns {
  private failed: Utterance | undefined;

  constructor(
    private readonly transcriber: Transcriber,
    /** The configured end-of-speech silence (ms); the page decided that, in whole frames, after the end of speech. */
    private readonly hangoverMs: () => number,
  ) {}

  /**
   * Call on receipt: the zero is put `sinceSpeechEndMs` before now. The detector decided a
   * hangover after the end of speech (never later than the page sent it); the rest of
   * `sinceSpeechEndMs` is encoding and transport.
   */
  prepare(utterance: Utterance): VoiceTurnInput {
    const since = utterance.sinceSpeechEndMs;
    return this.input(utterance, {
      origin: { at: performance.now() - since, epoch: Date.now() - since },
      hangoverMs: Math.min(detectorHangoverMs(this.hangoverMs()), since),
    });
  }

  /** The utterance that failed last, counted from now (the user's retry), or undefined if none is kept. */
  prepareRetry(): VoiceTurnInput | undefined {
    const utterance = this.failed;
    if (!utterance) return undefined;
    return this.input(utterance, { origin: { at: performance.now(), epoch: Date.now() } });
  }

  /** Whether an utterance is waiting for a retry. */
  get hasFailedUtterance(): boolean {
    return this.failed !== undefined;
  }

  private input(utterance: Utterance, timing: Omit<VoiceTurnInput, 'transcribe'>): VoiceTurnInput {
    return {
      ...timing,
      transcribe: async (signal) => {
        try {
          const text = await this.transcriber.transcribe(utterance.wav, signal);
          this.failed = undefined;
          return text;
        } catch (error) {
          // Cancelled by a newer input: the user moved on, so there is nothing to retry.
          if (!signal.aborted) this.failed = utterance;
          throw error;
        }
      },
    };
  }
}
