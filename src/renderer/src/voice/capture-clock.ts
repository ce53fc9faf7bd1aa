/**
 * When each microphone frame's last sample was captured, on performance.now()'s clock. Arrival
 * time alone lies when the thread that receives the frames is busy: frames then queue and arrive in
 * bursts, which would stretch or squeeze speech and move its end. The sample count does not lie
 * within a stretch of audio: frame k ends k × the frame's period after the capture began, and that
 * beginning is at most the earliest any frame could have been captured (a frame never arrives
 * before it is captured), so the least delayed frame anchors the count to the clock. Pure, for
 * unit tests.
 *
 * The period must be the frame's true length in captured audio (workletFrameMs), not the
 * nominal 32 ms: a period a little short makes every later stamp earlier than the truth by the
 * accumulated difference (0.6 ms per second at 44.1 kHz), so the end of speech drifted earlier
 * the longer the microphone had been open.
 *
 * The anchor is the least delayed frame of the last `windowMs` of audio, not of all time: when the
 * audio path drops samples (an audio thread starved under load drops whole buffers; a real device
 * overruns), every later frame holds audio captured later than its count says, and an anchor kept
 * from before the loss would stamp them all early by the audio lost, for as long as the microphone
 * stays open (a 20-turn benchmark run drifted ~190 ms so). A window re-anchors after such a loss
 * within `windowMs`; a burst after a stall shorter than the window still stamps by count. How much
 * later the anchor is now than the earliest it ever was is `lostMs`, so a loss shows in the ear's
 * debug numbers and the voice benchmark.
 */
export class CaptureClock {
  private frames = 0;
  /** Candidates for the anchor: frame numbers with rising offsets (arrival − count × period). */
  private readonly window: { frame: number; offset: number }[] = [];
  private head = 0;
  private earliestAnchor = Infinity;
  private readonly windowFrames: number;
  /**
   * Audio the path has lost since the first frame, as far as the clock can tell, ms: its anchor now
   * against the earliest it ever was (± the frames' least delivery delay moving by a few ms).
   */
  lostMs = 0;

  constructor(
    private readonly periodMs: number,
    windowMs = CAPTURE_CLOCK_WINDOW_MS,
  ) {
    this.windowFrames = Math.max(1, Math.round(windowMs / periodMs));
  }

  /** The capture time of the next frame, which arrived at `arrivedAt`. */
  stamp(arrivedAt: number): number {
    const frame = ++this.frames;
    const offset = arrivedAt - frame * this.periodMs;
    // A monotonic queue: its head is the least offset of the frames in the window.
    while (this.window.length > this.head && this.window.at(-1)!.offset >= offset) this.window.pop();
    this.window.push({ frame, offset });
    while (this.window[this.head]!.frame <= frame - this.windowFrames) this.head++;
    if (this.head > 64) {
      this.window.splice(0, this.head);
      this.head = 0;
    }
    const anchor = this.window[this.head]!.offset;
    this.earliestAnchor = Math.min(this.earliestAnchor, anchor);
    this.lostMs = anchor - this.earliestAnchor;
    return anchor + frame * this.periodMs;
  }
}

/**
 * Audio the anchor looks back over: long enough that a burst after any plausible stall of the
 * detector's worker is still stamped by count, short enough that after the audio path loses
 * samples the stamps are right again before the next sentence or two.
 */
export const CAPTURE_CLOCK_WINDOW_MS = 5_000;

/**
 * How much captured audio one frame of vad-web's audio worklet holds, ms. Its resampler takes
 * input samples at the context's rate until they make `frameSamples` at 16 kHz, rounded up to a
 * whole input sample, and starts the next frame after them: at 48 kHz exactly 1536 samples
 * (32 ms), at 44.1 kHz 1412 samples where 1411.2 would be exact (32.018 ms).
 */
export function workletFrameMs(contextRate: number, frameSamples: number, targetRate: number): number {
  return (Math.ceil((frameSamples * contextRate) / targetRate) / contextRate) * 1000;
}
