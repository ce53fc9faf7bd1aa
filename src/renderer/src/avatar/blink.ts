/**
 * How open the eyes are during a blink cycle, stepped by elapsed time: open for a random while,
 * then closing, closed, opening. Pure (the random source is injectable) so it is unit-tested.
 */
export interface BlinkTiming {
  minOpenMs: number;
  maxOpenMs: number;
  closingMs: number;
  closedMs: number;
  openingMs: number;
}

export const DEFAULT_BLINK: BlinkTiming = {
  minOpenMs: 2500,
  maxOpenMs: 6000,
  closingMs: 80,
  closedMs: 40,
  openingMs: 140,
};

export class BlinkCycle {
  private phase: 'open' | 'closing' | 'closed' | 'opening' = 'open';
  private left: number;
  private elapsed = 0;
  private count = 0;

  constructor(
    private readonly timing: BlinkTiming = DEFAULT_BLINK,
    private readonly random: () => number = Math.random,
  ) {
    this.left = this.nextOpen();
  }

  /** Blinks begun since the cycle was made. */
  get blinks(): number {
    return this.count;
  }

  /**
   * Advances by `dtMs` and returns the eyes' openness, 0 (shut) – 1 (as the face has them). A
   * step that passes the shut moment returns 0: at a low frame rate a blink still shows as one
   * frame with the eyes closed, instead of a half-closed flicker or nothing.
   */
  step(dtMs: number): number {
    let dt = Math.max(0, dtMs);
    let shut = false;
    while (dt > 0) {
      const used = Math.min(dt, this.left);
      this.left -= used;
      this.elapsed += used;
      dt -= used;
      if (this.left > 0) break;
      this.advance();
      if (this.phase === 'closed') shut = true;
    }
    return shut ? 0 : this.openness();
  }

  private openness(): number {
    const { closingMs, openingMs } = this.timing;
    switch (this.phase) {
      case 'open':
        return 1;
      case 'closing':
        return 1 - this.elapsed / closingMs;
      case 'closed':
        return 0;
      case 'opening':
        return this.elapsed / openingMs;
    }
  }

  private advance(): void {
    this.elapsed = 0;
    const { closingMs, closedMs, openingMs } = this.timing;
    switch (this.phase) {
      case 'open':
        this.phase = 'closing';
        this.left = closingMs;
        this.count++;
        break;
      case 'closing':
        this.phase = 'closed';
        this.left = closedMs;
        break;
      case 'closed':
        this.phase = 'opening';
        this.left = openingMs;
        break;
      case 'opening':
        this.phase = 'open';
        this.left = this.nextOpen();
        break;
    }
  }

  private nextOpen(): number {
    const { minOpenMs, maxOpenMs } = this.timing;
    return minOpenMs + this.random() * (maxOpenMs - minOpenMs);
  }
}

/** How long after the model's own motions last closed the eyes Kiyo still leaves blinking to them. */
export const MODEL_BLINK_MEMORY_MS = 10_000;

/**
 * Whether the model blinks by itself: many models' idle motions animate the eyelids (the bundled
 * Shizuku's do), and a second blink on top would double it. Fed the eye parameter as motions and
 * expressions left it, before Kiyo's blink; while the model shut its eyes within the last
 * MODEL_BLINK_MEMORY_MS, Kiyo's blink keeps out. A new model gets that long to show it blinks by
 * itself before Kiyo's blink starts, so the two never both run.
 */
export class ModelBlinkWatch {
  private sinceShutMs = 0;

  step(dtMs: number): void {
    this.sinceShutMs += Math.max(0, dtMs);
  }

  /** The eyes' openness as the model's own motions set it this frame. */
  saw(openness: number): void {
    if (openness < 0.3) this.sinceShutMs = 0;
  }

  get modelBlinks(): boolean {
    return this.sinceShutMs < MODEL_BLINK_MEMORY_MS;
  }
}
