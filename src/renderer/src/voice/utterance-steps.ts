/**
 * Where the time between the end of speech and the utterance leaving the page goes, for the
 * voice benchmark and `__kiyoEar`: every stamp is performance.now() on the page (the end frame is
 * the frame whose arrival ends the hangover). Measurement only: nothing here steers the ear.
 */
export interface UtteranceSteps {
  /**
   * The last voiced frame: its last sample captured (the end of speech), in the detector's
   * worker, scored, back on the page's main thread.
   */
  lastVoicedCapturedAt: number;
  lastVoicedArrivedAt: number;
  lastVoicedScoredAt: number;
  lastVoicedOnMainAt: number;
  /** The frame that ended the hangover: captured, in the worker, scored, on the main thread. */
  endFrameCapturedAt: number;
  endFrameArrivedAt: number;
  endFrameScoredAt: number;
  endFrameOnMainAt: number;
  encodedAt: number;
  /** The bridge's sendUtterance was called. */
  sentAt: number;
  /** The bridge call returned (what sending cost the page's main thread). */
  bridgeReturnedAt: number;
  /** performance.timeOrigin: with it the benchmark puts `sentAt` on main's clock. */
  timeOrigin: number;
}

export interface FrameTimes {
  at: number;
  arrivedAt: number;
  scoredAt: number;
  onMainAt: number;
}

/** The last frames' times, enough to look the last voiced frame up when the hangover ends. */
export class FrameTimeLog {
  private readonly frames: FrameTimes[] = [];

  constructor(private readonly keep: number) {}

  add(frame: FrameTimes): void {
    this.frames.push(frame);
    if (this.frames.length > this.keep) this.frames.shift();
  }

  find(at: number): FrameTimes | undefined {
    return this.frames.findLast((f) => f.at === at);
  }
}
