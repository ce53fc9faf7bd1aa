/**
 * When each microphone frame's last sample was captured, on performance.now()'s clock. Arrival
 * time alone lies when the page is busy: frames then queue and arrive in bursts, which would
 * stretch or squeeze speech and move its end. The sample count does not lie: frame k ends
 * k × frameMs after the capture began, and that beginning is at most the earliest any frame
 * could have been captured (a frame never arrives before it is captured), so the least delayed
 * frame seen so far anchors the count to the clock. Pure, for unit tests.
 */
export class CaptureClock {
  private frames = 0;
  private origin = Infinity;

  constructor(private readonly frameMs: number) {}

  /** The capture time of the next frame, which arrived at `arrivedAt`. */
  stamp(arrivedAt: number): number {
    this.frames++;
    this.origin = Math.min(this.origin, arrivedAt - this.frames * this.frameMs);
    return this.origin + this.frames * this.frameMs;
  }
}
