/**
 * Decides whether a frame would show anything new. In software GL (SwiftShader, OBS without a
 * GPU) a frame of the bundled model costs tens of milliseconds of CPU whatever moved; idle
 * breathing and the slow head sway move the picture by far less than a pixel per frame at 30 fps.
 * Such a frame is skipped: the canvas keeps showing the last one drawn, which differs from the one
 * skipped by less than the threshold. Movement adds up against the last frame drawn, not against
 * the previous tick, so slow motion is drawn as soon as it amounts to a pixel, and fast motion
 * (a blink, a tap motion, the mouth while speaking) is drawn on every frame the cap allows.
 */

/** The avatar's pose as the screen would show it. */
export interface VisibleSample {
  /** Every drawable's vertex positions (x, y, x, y, …) in model units, in drawing order. */
  vertices: ArrayLike<number>;
  /** Every part's or drawable's opacity, 0–1. */
  opacities: ArrayLike<number>;
  /** Device pixels one model unit spans on screen (model scale × layout × resolution). */
  pixelsPerUnit: number;
}

/** Movement below this many device pixels since the last frame drawn is not drawn. */
export const REDRAW_THRESHOLD_PX = 1;
/**
 * The same while she is silent (Live2DAvatar.setSpeaking): slow idle movement (breathing, the head
 * sway, the slow parts of idle motions) is drawn in steps of up to 2 device pixels instead of 1, so
 * about a third fewer idle frames are drawn (~11 → ~7 a second at 30 fps, bundled model, 400×600);
 * a blink or a tap motion moves several pixels a frame and is drawn on every frame as before.
 * While she speaks the 1-pixel threshold keeps the mouth and face following the voice.
 */
export const IDLE_REDRAW_THRESHOLD_PX = 2;
/** An opacity change below this (1 % ≈ 2.5 of 255 levels) is not drawn either. */
export const REDRAW_THRESHOLD_OPACITY = 0.01;

export class RedrawGate {
  private vertices: Float32Array = new Float32Array(0);
  private opacities: Float32Array = new Float32Array(0);
  private isStale = true;
  private admitted = 0;
  private skipped = 0;

  constructor(
    /** Device pixels; may change between frames (movement still adds up against the last frame drawn). */
    public thresholdPx = REDRAW_THRESHOLD_PX,
    private readonly thresholdOpacity = REDRAW_THRESHOLD_OPACITY,
  ) {}

  /** The next frame is drawn whatever its pose: a new model, a resize, a new resolution or scale. */
  invalidate(): void {
    this.isStale = true;
  }

  /** True when the next frame will be drawn whatever its pose (invalidated, or nothing drawn yet). */
  get stale(): boolean {
    return this.isStale;
  }

  /** Frames admitted (to be drawn) and skipped so far. */
  get counts(): { admitted: number; skipped: number } {
    return { admitted: this.admitted, skipped: this.skipped };
  }

  /**
   * True when `sample` differs visibly from the last frame admitted; it then becomes the last
   * frame admitted, so the caller must draw it.
   */
  admit(sample: VisibleSample): boolean {
    const changed = this.isStale || this.differs(sample);
    if (!changed) {
      this.skipped++;
      return false;
    }
    this.isStale = false;
    this.vertices = copyInto(this.vertices, sample.vertices);
    this.opacities = copyInto(this.opacities, sample.opacities);
    this.admitted++;
    return true;
  }

  private differs(sample: VisibleSample): boolean {
    const { vertices, opacities } = sample;
    // A different mesh (another model, a runtime that changed its buffers) always counts.
    if (vertices.length !== this.vertices.length || opacities.length !== this.opacities.length) return true;
    if (!(sample.pixelsPerUnit > 0) || !Number.isFinite(sample.pixelsPerUnit)) return true;
    const units = this.thresholdPx / sample.pixelsPerUnit;
    for (let i = 0; i < vertices.length; i++) {
      // Written so that NaN (a broken pose) counts as a change rather than as "nothing moved".
      if (!(Math.abs(vertices[i]! - this.vertices[i]!) < units)) return true;
    }
    for (let i = 0; i < opacities.length; i++) {
      if (!(Math.abs(opacities[i]! - this.opacities[i]!) < this.thresholdOpacity)) return true;
    }
    return false;
  }
}

function copyInto(target: Float32Array, source: ArrayLike<number>): Float32Array {
  const out = target.length === source.length ? target : new Float32Array(source.length);
  out.set(source);
  return out;
}
