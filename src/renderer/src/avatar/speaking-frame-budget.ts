/**
 * While her voice plays, the avatar is drawn about SPEAKING_FRAMES_PER_SECOND times a second, the
 * way limited animation draws lip flaps "on threes" (a new drawing every third frame at 24 fps,
 * 8 a second) — instead of on every frame the cap allows.
 *
 * Why: while she speaks, the mouth moves a pixel or more on nearly every frame, so the redraw gate
 * (redraw-gate.ts) lets almost every frame through, and in software GL each drawn frame costs tens of
 * milliseconds of CPU whatever changed. Idle, the gate draws about 7 frames a second; speaking drew
 * 14–17, twice the CPU (issue 13's target is 1.5×). Making a frame cheaper cannot bring that ratio
 * down (it scales idle and speaking alike, and her audio output costs the same either way); drawing
 * fewer speaking frames does. At 10 a second speaking still cost 1.5–1.6× idle once the textures
 * were filtered more cheaply in software GL (software-texture-filter.ts); at 8 it is about 1.35×.
 *
 * What it costs on screen: while she speaks the whole avatar (mouth, blinks, sway) moves in steps of
 * about an eighth of a second. Each drawn frame shows the pose of its own moment — mouth, motions and
 * physics run on elapsed time every tick, drawn or not — so lip sync stays in time with the voice;
 * syllables (4–6 a second) still each get their own mouth shapes. Silent, nothing changes: every
 * frame the cap allows and the gate admits is drawn.
 *
 * Frames are due every 1/SPEAKING_FRAMES_PER_SECOND s, and a tick draws once it is no more than half
 * a tick before the frame is due. The time a drawn frame was late or early carries to the next one
 * (at most one tick's worth), so the rate comes out right on average at any cap: at 30 fps every
 * fourth, third, fourth, fourth tick (8 a second); at 24 fps every third; at 60 fps every seventh or
 * eighth; at 15 fps every other, now and then two in a row.
 */
export const SPEAKING_FRAMES_PER_SECOND = 8;

export class SpeakingFrameBudget {
  /** Time since the last frame was due (drawn frames carry how late or early they were). */
  private sinceDueMs = Number.POSITIVE_INFINITY;
  private held = 0;
  /** The last tick's length: how far a drawn frame's lateness may carry. */
  private lastStepMs = 0;

  constructor(private readonly intervalMs = 1000 / SPEAKING_FRAMES_PER_SECOND) {}

  /**
   * A tick of `dtMs` passed. True when a frame may be drawn now: always while she is silent, and
   * while she speaks once the next frame is due within half of this tick.
   */
  allows(dtMs: number, speaking: boolean): boolean {
    const step = Math.max(0, dtMs);
    this.sinceDueMs += step;
    this.lastStepMs = step;
    // Written so that NaN (a broken clock) lets the frame through rather than holding it forever.
    if (!speaking || !(this.sinceDueMs + step / 2 < this.intervalMs)) return true;
    this.held++;
    return false;
  }

  /**
   * A frame was drawn: the next is due one interval after this one was. How late or early this one
   * came carries over, up to one tick either way, so a long pause (nothing moved, or silence) does
   * not turn into a burst of frames.
   */
  drawn(): void {
    const carry = this.sinceDueMs - this.intervalMs;
    const bound = Number.isFinite(this.lastStepMs) ? this.lastStepMs : 0;
    this.sinceDueMs = Number.isFinite(carry) ? Math.max(-bound, Math.min(bound, carry)) : 0;
  }

  /** Ticks held back while she spoke. */
  get heldBack(): number {
    return this.held;
  }
}
