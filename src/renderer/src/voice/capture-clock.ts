/**
 * When each microphone frame's last sample was captured, on performance.now()'s clock. Arrival
 * time alone lies when the page is busy: frames then queue and arrive in bursts, which would
 * stretch or squeeze speech and move its end. The sample count does not lie: frame k ends
 * k × the frame's period after the capture began, and that beginning is at most the earliest any
 * frame could have been captured (a frame never arrives before it is captured), so the least
 * delayed frame seen so far anchors the count to the clock. Pure, for unit tests.
 *
 * The period must be the frame's true length in captured audio (workletFrameMs), not the
 * nominal 32 ms: a period a little short makes every later stamp earlier than the truth by the
 * accumulated difference (0.6 ms per second at 44.1 kHz), so the end of speech drifted earlier
 * the longer the microphone had been open.
 */
export class CaptureClock {
  private frames = 0;
  private origin = Infinity;

  constructor(private readonly periodMs: number) {}

  /** The capture time of the next frame, which arrived at `arrivedAt`. */
  stamp(arrivedAt: number): number {
    this.frames++;
    this.origin = Math.min(this.origin, arrivedAt - this.frames * this.periodMs);
    return this.origin + this.frames * this.periodMs;
  }
}

/**
 * How much captured audio one frame of vad-web's audio worklet holds, ms. Its resampler takes
 * input samples at the context's rate until they make `frameSamples` at 16 kHz, rounded up to a
 * whole input sample, and starts the next frame after them: at 48 kHz exactly 1536 samples
 * (32 ms), at 44.1 kHz 1412 samples where 1411.2 would be exact (32.018 ms).
 */
export function workletFrameMs(contextRate: number, frameSamples: number, targetRate: number): number {
  return (Math.ceil((frameSamples * contextRate) / targetRate) / contextRate) * 1000;
}
