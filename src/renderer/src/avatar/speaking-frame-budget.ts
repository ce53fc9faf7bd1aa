/**
 * While her voice plays, the avatar is drawn at most about SPEAKING_FRAMES_PER_SECOND times a
 * second, the way limited animation draws lip flaps "on threes" (a new drawing every third frame
 * at 24–30 fps) — instead of on every frame the cap allows.
 *
 * Why: while she speaks, the mouth moves a pixel or more on nearly every frame, so the redraw gate
 * (redraw-gate.ts) lets almost every frame through, and in software GL each drawn frame costs tens of
 * milliseconds of CPU whatever changed. Idle, the gate draws about 7 frames a second; speaking drew
 * 14–17, twice the CPU (issue 13's target is 1.5×). Making a frame cheaper cannot change that ratio
 * (it scales idle and speaking alike); drawing fewer speaking frames does.
 *
 * What it costs on screen: while she speaks the whole avatar (mouth, blinks, sway) moves in steps of
 * about a tenth of a second. Each drawn frame shows the pose of its own moment — mouth, motions and
 * physics run on elapsed time every tick, drawn or not — so lip sync stays in time with the voice;
 * syllables (4–6 a second) still each get their own mouth shapes. Silent, nothing changes: every
 * frame the cap allows and the gate admits is drawn.
 *
 * A frame is allowed once the time since the last drawn frame, plus half of this tick, reaches the
 * interval: at 30 fps every third frame (10 a second), at 60 fps every sixth (10), at 24 fps every
 * other (12), at 15 fps every frame (15: the cap is already that coarse).
 */
export const SPEAKING_FRAMES_PER_SECOND = 10;

export class SpeakingFrameBudget {
  private sinceDrawnMs = Number.POSITIVE_INFINITY;
  private held = 0;

  constructor(private readonly intervalMs = 1000 / SPEAKING_FRAMES_PER_SECOND) {}

  /**
   * A tick of `dtMs` passed. True when a frame may be drawn now: always while she is silent, and
   * while she speaks once the interval has passed since the last frame drawn.
   */
  allows(dtMs: number, speaking: boolean): boolean {
    this.sinceDrawnMs += Math.max(0, dtMs);
    // Written so that NaN (a broken clock) lets the frame through rather than holding it forever.
    if (!speaking || !(this.sinceDrawnMs + Math.max(0, dtMs) / 2 < this.intervalMs)) return true;
    this.held++;
    return false;
  }

  /** A frame was drawn: the interval starts again. */
  drawn(): void {
    this.sinceDrawnMs = 0;
  }

  /** Ticks held back while she spoke. */
  get heldBack(): number {
    return this.held;
  }
}
