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

  /** Advances by `dtMs` and returns the eyes' openness, 0 (shut) – 1 (as the face has them). */
  step(dtMs: number): number {
    let dt = Math.max(0, dtMs);
    // A long step (a stalled frame) may cross phases; it never skips the whole blink unseen
    // because each phase ends at its own boundary first.
    while (dt > 0) {
      const used = Math.min(dt, this.left);
      this.left -= used;
      this.elapsed += used;
      dt -= used;
      if (this.left > 0) break;
      this.advance();
    }
    return this.openness();
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
