/**
 * Decides, frame by frame of an utterance in progress, whether the user is talking over Kiyo
 * (interrupt her) and whether the utterance is the user's at all (send it) or Kiyo's own voice
 * coming back from the speakers (drop it). Pure: the ear feeds it the frames of each utterance.
 *
 * The echo policy, in layers:
 *  1. The browser's echo cancellation (getUserMedia echoCancellation) subtracts what the page
 *     plays from what the microphone hears; what is left of Kiyo's voice is quiet and smeared.
 *  2. While Kiyo plays, a frame counts as the user's speech only when the detector is surer
 *     (PLAYING_THRESHOLD, or the user's own threshold if higher) and the microphone is louder
 *     than her echo can be: above ECHO_LEVEL_FLOOR and above FAR_END_RATIO × the loudest she
 *     played in the last half second (a Geigel double-talk test: echo is quieter at the
 *     microphone than what the speakers are fed, a voice next to the microphone is not).
 *     The detector alone cannot tell: it scores her voice as speech (p ≈ 1) at any level.
 *  3. Only `bargeInMinSpeechMs` of such frames interrupts: a word's worth, not a syllable of echo.
 *  4. An utterance heard while Kiyo played that never qualified as barge-in is dropped, not sent:
 *     her own voice never becomes the user's turn; only `minSpeechMs` of speech after she was
 *     last heard would make it the user's.
 * With barge-in off, speech during playback neither interrupts nor is sent.
 */
export interface BargeInOptions {
  bargeIn: boolean;
  bargeInMinSpeechMs: number;
  minSpeechMs: number;
  speechThreshold: number;
  frameMs: number;
}

/** While Kiyo plays, the speech probability a frame needs to count as the user's (at least). */
export const PLAYING_THRESHOLD = 0.8;
/**
 * While Kiyo plays, the least loudness (RMS, 0–1, after the browser's echo cancellation and gain
 * control) a frame needs to count as the user's, about −34 dBFS.
 */
export const ECHO_LEVEL_FLOOR = 0.02;
/**
 * While Kiyo plays, a frame must also be at least this share of the loudest level she played in
 * the last half second (the window covers the speakers' and the room's delay).
 */
export const FAR_END_RATIO = 0.5;

export interface GateFrame {
  /** Kiyo's audio is playing (or just stopped: the ear adds the room's tail). */
  playing: boolean;
  probability: number;
  level: number;
  /** The loudest level (RMS) Kiyo's output had in the last half second. */
  farEnd: number;
}

export class BargeInGate {
  private overlapped = false;
  private interrupted = false;
  private userMsWhilePlaying = 0;
  /** Speech since Kiyo was last audible. */
  private userMsAfterPlayback = 0;

  constructor(private options: BargeInOptions) {}

  setOptions(options: BargeInOptions): void {
    this.options = options;
  }

  /** One frame of the utterance in progress; true exactly once, on the frame that interrupts Kiyo. */
  frame(frame: GateFrame): boolean {
    const { speechThreshold, frameMs, bargeIn, bargeInMinSpeechMs } = this.options;
    if (!frame.playing) {
      if (frame.probability >= speechThreshold) this.userMsAfterPlayback += frameMs;
      return false;
    }
    this.overlapped = true;
    this.userMsAfterPlayback = 0;
    const loudEnough = frame.level >= Math.max(ECHO_LEVEL_FLOOR, FAR_END_RATIO * frame.farEnd);
    if (frame.probability >= Math.max(speechThreshold, PLAYING_THRESHOLD) && loudEnough)
      this.userMsWhilePlaying += frameMs;
    if (!bargeIn || this.interrupted || this.userMsWhilePlaying < Math.max(bargeInMinSpeechMs, frameMs))
      return false;
    this.interrupted = true;
    return true;
  }

  /** At the utterance's end: is it the user's, to be sent? */
  get accepted(): boolean {
    if (!this.overlapped || this.interrupted) return true;
    return this.userMsAfterPlayback >= Math.max(this.options.minSpeechMs, this.options.frameMs);
  }

  get didInterrupt(): boolean {
    return this.interrupted;
  }

  /** A new utterance begins. */
  reset(): void {
    this.overlapped = false;
    this.interrupted = false;
    this.userMsWhilePlaying = 0;
    this.userMsAfterPlayback = 0;
  }
}
