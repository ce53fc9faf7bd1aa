/**
 * The one frame loop of the overlay page: the avatar and lip sync draw on it, at most `fps` times a
 * second, and not at all while the page cannot be seen. Everything it drives is time-based (the
 * listeners get elapsed milliseconds), so a lower cap draws fewer frames, never a slower avatar.
 *
 * Audio is deliberately not on it: decoding and scheduling run when a chunk arrives, so neither
 * the cap nor a pause can delay a sample.
 */

/** The browser's animation-frame functions, injectable so the clock can be tested with a fake. */
export interface FrameHost {
  requestFrame(callback: (now: number) => void): number;
  cancelFrame(handle: number): void;
}

/** Called once per drawn frame: `now` is the frame's timestamp, `dtMs` the time since the last one. */
export type FrameListener = (now: number, dtMs: number) => void;

/**
 * A frame whose display slot comes this close before it is due still counts as on time: display
 * refreshes jitter by a fraction of a millisecond, and waiting one more refresh would halve the rate.
 */
const EARLY_TOLERANCE_MS = 4;
/**
 * Longest step handed to listeners. Long enough for the lowest cap on a busy machine; short enough
 * that resuming after minutes hidden does not fling physics and motions forward in one step.
 */
export const MAX_FRAME_STEP_MS = 250;

const browserHost: FrameHost = {
  requestFrame: (callback) => requestAnimationFrame(callback),
  cancelFrame: (handle) => cancelAnimationFrame(handle),
};

export class FrameClock {
  private readonly listeners: FrameListener[] = [];
  private readonly hiddenBy = new Set<string>();
  private cap = 30;
  private interval = 1000 / 30;
  private handle: number | undefined;
  private running = false;
  /** When the next frame is due; -Infinity draws on the very next animation frame. */
  private due = Number.NEGATIVE_INFINITY;
  private last: number | undefined;
  private drawn = 0;

  constructor(
    fps: number,
    private readonly host: FrameHost = browserHost,
  ) {
    this.setFps(fps);
  }

  /** Frames drawn since the clock was made (for the debug hook and the benchmark). */
  get frames(): number {
    return this.drawn;
  }

  get fps(): number {
    return this.cap;
  }

  /** True while something says the page cannot be seen. */
  get paused(): boolean {
    return this.hiddenBy.size > 0;
  }

  /** Listeners run in the order added, every drawn frame; returns the removal function. */
  add(listener: FrameListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /** A cap that is not a positive number keeps the current one (30 to begin with). */
  setFps(fps: number): void {
    if (!(fps > 0) || !Number.isFinite(fps)) return;
    this.cap = fps;
    this.interval = 1000 / fps;
    // A higher cap takes effect at the next frame instead of after the old, longer interval.
    if (this.last !== undefined) this.due = Math.min(this.due, this.last + this.interval);
  }

  /**
   * Hidden for one reason (the page, the desktop window, the OBS source): no frame is even asked for
   * until every reason has cleared; then the next animation frame draws at once.
   */
  setHidden(reason: string, hidden: boolean): void {
    const wasPaused = this.paused;
    if (hidden) this.hiddenBy.add(reason);
    else this.hiddenBy.delete(reason);
    if (this.paused === wasPaused) return;
    if (this.paused) {
      this.cancel();
    } else {
      this.due = Number.NEGATIVE_INFINITY;
      // The time spent hidden is not a step: the avatar continues where it stopped.
      this.last = undefined;
      this.request();
    }
  }

  start(): void {
    this.running = true;
    this.request();
  }

  stop(): void {
    this.running = false;
    this.cancel();
  }

  private request(): void {
    if (this.running && !this.paused && this.handle === undefined) {
      this.handle = this.host.requestFrame(this.onFrame);
    }
  }

  private cancel(): void {
    if (this.handle !== undefined) this.host.cancelFrame(this.handle);
    this.handle = undefined;
  }

  private readonly onFrame = (now: number): void => {
    this.handle = undefined;
    if (!this.running || this.paused) return;
    try {
      if (now >= this.due - EARLY_TOLERANCE_MS) this.draw(now);
    } finally {
      // A listener that throws (a model whose update fails) is reported by the browser, but must
      // not end the loop: lip sync and the rest keep going on the next frame.
      this.request();
    }
  };

  private draw(now: number): void {
    // Keep to the cap on average even when display refreshes do not divide it (24 fps on 60 Hz);
    // after a stall longer than a frame, start afresh rather than drawing a burst to catch up.
    const next = this.due + this.interval;
    this.due = next > now ? next : now + this.interval;
    const dt = this.last === undefined ? 0 : Math.min(MAX_FRAME_STEP_MS, Math.max(0, now - this.last));
    this.last = now;
    this.drawn++;
    for (const listener of [...this.listeners]) listener(now, dt);
  }
}
