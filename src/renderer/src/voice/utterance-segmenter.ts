/**
 * Cuts the microphone's frames into utterances from the voice activity detector's per-frame
 * speech probability. Pure (no audio API): the ear feeds it frames (16-bit PCM, ready for the WAV)
 * with their probability and the time their last sample was captured, and acts on what it returns.
 *
 * - Pre-roll: the frames before the detected start are kept (at least `preRollMs`), so the first
 *   syllable, which the detector often scores low, is not lost.
 * - Start: the first frame at or above `speechThreshold`.
 * - End (hands-free): `endSilenceMs` after the last voiced frame (probability at or above the
 *   threshold minus 0.15, Silero's usual hysteresis, so a word's soft tail does not end it early).
 * - Too short: fewer than `minSpeechMs` of voiced frames is a misfire (a cough, a click).
 * - Push-to-talk: `hold` opens an utterance at once (with pre-roll) and `release` ends it; silence
 *   alone never ends a held utterance.
 *
 * The utterance keeps a short tail after the last voiced frame, not the whole hangover: the
 * hangover is silence the service need not hear.
 */
export interface SegmenterOptions {
  /** Length of one frame, ms (Silero v5: 512 samples at 16 kHz = 32 ms). */
  frameMs: number;
  speechThreshold: number;
  minSpeechMs: number;
  endSilenceMs: number;
  preRollMs: number;
  /** Longest utterance, ms, pre-roll included; longer speech is cut and sent there. */
  maxUtteranceMs: number;
}

/** Silence kept after the last voiced frame. */
export const TAIL_MS = 160;
/** Below the start threshold by this much still counts as voiced (hysteresis). */
export const HYSTERESIS = 0.15;

export interface Utterance {
  /** 16-bit PCM, pre-roll and tail included. */
  samples: Int16Array<ArrayBuffer>;
  /** First voiced frame's start → last voiced frame's end, ms (pre-roll and tail excluded). */
  speechMs: number;
  /** When the last voiced frame's last sample was captured (the real end of speech). */
  speechEndAt: number;
  /** When the first voiced frame began. */
  speechStartAt: number;
}

export type SegmentEvent =
  | { type: 'speech-start'; at: number }
  | { type: 'utterance'; utterance: Utterance }
  /** Speech began but was too short (or a held key saw no speech): nothing to send. */
  | { type: 'misfire' };

interface Frame {
  samples: Int16Array;
  at: number;
}

export class UtteranceSegmenter {
  private preRoll: Frame[] = [];
  /** The open utterance's frames, pre-roll first; undefined while idle. */
  private open: Frame[] | undefined;
  private held = false;
  private startAt: number | undefined;
  private lastVoicedAt = 0;
  /** Index in `open` just after the last voiced frame. */
  private lastVoicedEnd = 0;
  private voicedMs = 0;

  constructor(private options: SegmenterOptions) {}

  setOptions(options: SegmenterOptions): void {
    this.options = options;
  }

  /** True while an utterance is open (speech heard, or the push-to-talk key held). */
  get active(): boolean {
    return this.open !== undefined;
  }

  /** True once the open utterance has heard speech. */
  get speaking(): boolean {
    return this.startAt !== undefined;
  }

  /**
   * `at`: when the frame's last sample was captured (ms, any monotonic clock). `mayStart` false
   * (push-to-talk with the key up) keeps the frame as pre-roll only, whatever it holds.
   */
  push(samples: Int16Array, probability: number, at: number, mayStart = true): SegmentEvent[] {
    const { frameMs, speechThreshold, endSilenceMs, maxUtteranceMs } = this.options;
    const frame = { samples, at };
    const events: SegmentEvent[] = [];
    if (!this.open) {
      if (!mayStart || probability < speechThreshold) {
        this.remember(frame);
        return events;
      }
      this.open = [...this.preRoll];
      this.preRoll = [];
    }
    this.open.push(frame);
    const voiced =
      probability >= (this.startAt === undefined ? speechThreshold : speechThreshold - HYSTERESIS);
    if (voiced) {
      if (this.startAt === undefined) {
        this.startAt = at - frameMs;
        events.push({ type: 'speech-start', at: this.startAt });
      }
      this.voicedMs += frameMs;
      this.lastVoicedAt = at;
      this.lastVoicedEnd = this.open.length;
    }
    const length = this.open.length * frameMs;
    if (length >= maxUtteranceMs) events.push(this.finish());
    else if (!this.held && this.startAt !== undefined && at - this.lastVoicedAt >= endSilenceMs)
      events.push(this.finish());
    return events;
  }

  /** Push-to-talk key down: an utterance opens now, with the pre-roll before it. */
  hold(): void {
    this.held = true;
    if (!this.open) {
      this.open = [...this.preRoll];
      this.preRoll = [];
    }
  }

  /** Push-to-talk key up: the held utterance ends here (a misfire if no speech was heard). */
  release(): SegmentEvent[] {
    if (!this.held) return [];
    this.held = false;
    return this.open ? [this.finish()] : [];
  }

  /** Forget everything (mode change, microphone change, muted). */
  reset(): void {
    this.preRoll = [];
    this.open = undefined;
    this.held = false;
    this.clearSpeech();
  }

  private remember(frame: Frame): void {
    this.preRoll.push(frame);
    const keep = Math.ceil(this.options.preRollMs / this.options.frameMs);
    if (this.preRoll.length > keep) this.preRoll.splice(0, this.preRoll.length - keep);
  }

  private finish(): SegmentEvent {
    const open = this.open ?? [];
    const { frameMs, minSpeechMs } = this.options;
    const startAt = this.startAt;
    const enough = startAt !== undefined && this.voicedMs >= Math.max(minSpeechMs, frameMs);
    const end = Math.min(open.length, this.lastVoicedEnd + Math.ceil(TAIL_MS / frameMs));
    const kept = open.slice(0, end);
    // What follows the kept part is silence: it may be the next utterance's pre-roll.
    for (const frame of open.slice(end)) this.remember(frame);
    this.open = this.held ? [] : undefined;
    const speechEndAt = this.lastVoicedAt;
    this.clearSpeech();
    if (!enough || startAt === undefined) return { type: 'misfire' };
    const samples = new Int16Array(kept.reduce((n, f) => n + f.samples.length, 0));
    let offset = 0;
    for (const frame of kept) {
      samples.set(frame.samples, offset);
      offset += frame.samples.length;
    }
    return {
      type: 'utterance',
      utterance: { samples, speechMs: speechEndAt - startAt, speechEndAt, speechStartAt: startAt },
    };
  }

  private clearSpeech(): void {
    this.startAt = undefined;
    this.lastVoicedAt = 0;
    this.lastVoicedEnd = 0;
    this.voicedMs = 0;
  }
}
