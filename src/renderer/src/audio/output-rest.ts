/**
 * Rests the audio output while Kiyo is silent. A running AudioContext keeps the audio thread and
 * the system's audio stream busy rendering silence: about 6 % of a core on the test machine, a
 * tenth of the idle overlay's cost, all day next to a game. After `restAfterMs` with nothing
 * playing and no turn under way the context is suspended; a new turn wakes it (turn-start arrives
 * hundreds of milliseconds before its first audio, so resuming is over before that plays), and
 * so does any audio that arrives anyway.
 *
 * A context the browser suspended (autoplay blocked until a click) is not this module's: `resting`
 * is true only while suspended by it, so the overlay's "click to enable sound" still shows then.
 */
export interface RestableContext {
  readonly state: AudioContextState;
  suspend(): Promise<void>;
  resume(): Promise<void>;
}

/** Silence this long before the output rests: short pauses between turns keep it running. */
export const REST_AFTER_MS = 10_000;

export class OutputRest {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private rested = false;
  private busy = false;
  /** Held awake whatever plays (hold): the ear's microphone is open. */
  private held = false;
  /** The last resume asked for by wake(); settled once the output runs again. */
  private resumed: Promise<void> = Promise.resolve();
  /** Times the output rested and woke (for the debug hook and tests). */
  readonly counts = { rests: 0, wakes: 0 };

  constructor(
    private readonly context: RestableContext,
    private readonly restAfterMs = REST_AFTER_MS,
  ) {}

  /** True while the context is suspended because nothing played (not because autoplay is blocked). */
  get resting(): boolean {
    return this.rested;
  }

  /** Something plays or is about to: the output must run (resumed now if it rested). */
  wake(): void {
    this.busy = true;
    this.resumeIfRested();
  }

  /**
   * While `on`, the output never rests, playing or not (the ear's microphone is open: the audio
   * thread runs for the capture anyway, and suspending the output then disturbed the capture).
   * Released in a silence, the rest is counted from then.
   */
  hold(on: boolean): void {
    this.held = on;
    if (on) this.resumeIfRested();
    else if (!this.busy) this.restLater();
  }

  /**
   * Settles once a wake's resume has: a first sample scheduled while the output was still waking
   * is timed after it, since it cannot be heard before.
   */
  get awake(): Promise<void> {
    return this.resumed;
  }

  /** Nothing plays and no turn is under way: rest once this has lasted `restAfterMs`. */
  idle(): void {
    this.busy = false;
    if (!this.held) this.restLater();
  }

  private restLater(): void {
    if (this.rested || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // Only a running context rests: one the browser holds suspended stays the browser's.
      if (this.busy || this.context.state !== 'running') return;
      this.rested = true;
      this.counts.rests++;
      void this.context.suspend().catch(() => {
        this.rested = false;
      });
    }, this.restAfterMs);
  }

  /** No rest is pending any more (the player is closing). */
  stop(): void {
    this.cancelTimer();
  }

  private resumeIfRested(): void {
    this.cancelTimer();
    if (!this.rested) return;
    this.rested = false;
    this.counts.wakes++;
    this.resumed = this.context.resume().catch(() => {});
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
