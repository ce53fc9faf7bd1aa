import type { StreamAudioFormat } from './audio-format';

/**
 * Events of one conversation turn, in the order a consumer sees them. They are plain data
 * (structured-clone and JSON safe except `audio.data`, a Uint8Array), so Electron IPC and the
 * WebSocket transport forward them unchanged.
 *
 * Guarantees: `turn-start` first; `segment` i before any `audio` of segment i; audio in
 * (segmentIndex, seq) order; `segment-end` i after the last audio of i and before any audio of
 * i+1; at most one `error`; `turn-end` last, and nothing after it.
 *
 * The instant first sound (an acknowledgement filler such as "Hmm,") is `audio` of segment
 * FILLER_SEGMENT: it has no `segment`, `words` or `segment-end` (so no subtitle and no place in
 * the history), comes whole, in seq order, after `turn-start` and before any audio of segment 0,
 * and only when no reply audio was sent yet. A player queues it like any audio, so the reply
 * starts right after it; it does not count as the reply's first sample.
 */

/** The segment index of the acknowledgement filler's audio (see above). */
export const FILLER_SEGMENT = -1;

/** Milliseconds since the input was received (performance clock), except `inputAt` (epoch ms). */
export interface LatencyMarks {
  inputAt: number;
  llmRequest?: number;
  llmFirstToken?: number;
  firstSegment?: number;
  /** Synthesis of the first segment was asked for (before a connection is acquired). */
  ttsFirstRequest?: number;
  /** The first segment's request went out on an open socket. */
  ttsFirstRequestSent?: number;
  ttsFirstByte?: number;
  firstAudio?: number;
  /** Reported by the player: the first sample reached the audio output. */
  firstSamplePlayed?: number;
  /**
   * Voice turns only: the voice activity detector decided the user had finished (its end-of-speech
   * hangover after the last voiced frame). For a voice turn the zero of every mark, and `inputAt`,
   * is the end of speech itself, so `firstSamplePlayed` reads "end of speech → first sample".
   */
  speechEndDetected?: number;
  /** Voice turns only: the transcript came back from the speech-to-text service. */
  transcriptReady?: number;
  /**
   * The first sound of any kind reached the player (an acknowledgement filler or the reply). Kept
   * apart so `firstAudio` / `firstSamplePlayed` keep meaning the reply's own audio.
   */
  firstSound?: number;
  llmEnd?: number;
  turnEnd?: number;
}

export type ErrorCode =
  | 'llm-auth'
  | 'llm-not-found'
  | 'llm-bad-request'
  | 'llm-rate-limit'
  | 'llm-server'
  | 'llm-connection'
  | 'llm-stall'
  | 'llm-malformed'
  | 'llm-incomplete'
  | 'tts-connection'
  | 'tts-timeout'
  | 'tts-dropped'
  | 'tts-failed'
  | 'stt-auth'
  | 'stt-bad-request'
  | 'stt-rate-limit'
  | 'stt-server'
  | 'stt-connection'
  | 'stt-timeout'
  /** The speech-to-text service heard no words in the utterance. */
  | 'stt-empty'
  | 'internal';

/**
 * Where a turn's input came from. Typed and voice input is the streamer's own; chat input is a
 * viewer's words (untrusted), shown on screen as "@viewer: text" while it is answered.
 */
export type TurnSource =
  { kind: 'typed' } | { kind: 'voice' } | { kind: 'chat'; viewer: string; text: string; platform: string };

/** Word timing inside one segment's audio, from the voice service (Edge word boundaries). */
export interface WordTiming {
  /** The word as displayed (a slice of the segment's displayText where it can be matched). */
  text: string;
  /** ms from the first sample of this segment's audio. */
  offsetMs: number;
  durationMs: number;
}

export type TurnEndReason = 'complete' | 'cancelled' | 'error';

/**
 * Not errors: the offline voice took over / Edge is back; a completed reply had nothing that can
 * be spoken (only emoji, symbols or stage directions), so the listener hears silence.
 */
export type NoticeCode = 'tts-offline' | 'tts-online' | 'reply-unspeakable' | 'reply-truncated';

/** A turn's latency marks with how it ended, for the dashboard (a failed or silent reply is no bar). */
export interface TurnLatency extends LatencyMarks {
  reason: TurnEndReason;
}

export type PipelineEvent =
  | {
      type: 'turn-start';
      turnId: string;
      /** What the user typed; '' for a voice turn until its `transcript` arrives. */
      input: string;
      streaming: boolean;
      inputAt: number;
      /** Absent means typed (older producers). */
      source?: TurnSource;
    }
  /** Voice turns: what the user said, as transcribed; the turn goes on exactly as if typed. */
  | { type: 'transcript'; turnId: string; text: string }
  | { type: 'text'; turnId: string; delta: string }
  | {
      type: 'segment';
      turnId: string;
      index: number;
      displayText: string;
      spokenText: string;
      /**
       * The emotion tag this segment carries (e.g. 'joy'), stripped from both texts. The page
       * applies it when this segment's audio starts playing, not when the text arrives.
       */
      emotion?: string;
    }
  /** Word boundaries of segment `segmentIndex`'s audio; between its `segment` and `segment-end`. */
  | { type: 'words'; turnId: string; segmentIndex: number; words: WordTiming[] }
  | {
      type: 'audio';
      turnId: string;
      segmentIndex: number;
      seq: number;
      format: StreamAudioFormat;
      data: Uint8Array;
    }
  | { type: 'segment-end'; turnId: string; index: number }
  /** Not an error: something the listener should know, e.g. the offline voice took over. */
  | { type: 'notice'; turnId: string; code: NoticeCode; message: string }
  | { type: 'error'; turnId: string; code: ErrorCode; message: string; retryable: boolean }
  /**
   * From the turn runner, not the pipeline: Kiyo was stopped (Escape, barge-in, the streamer's
   * input over a chat answer). Every page silences this turn's audio now, whatever it still has
   * buffered: a turn's audio is delivered well before it has played, so its `turn-end` may be long
   * gone, and a page other than the one that stopped (the OBS page) would otherwise play on.
   */
  | { type: 'stop-playback'; turnId: string }
  | {
      type: 'turn-end';
      turnId: string;
      reason: TurnEndReason;
      /** Full display text of the reply as received (may be partial when cancelled or failed). */
      text: string;
      /** Spoken text of the segments whose audio was delivered (what the listener heard, at most). */
      spokenText: string;
      latency: LatencyMarks;
    };
