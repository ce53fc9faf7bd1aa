import type { Live2DModel } from 'pixi-live2d-display';
import type { VisibleSample } from './redraw-gate';

/** The Cubism 2 core calls read here (live2d.min.js has no types). */
interface Cubism2Core {
  getTransformedPoints(drawIndex: number): ArrayLike<number>;
  getPartsOpacity(partIndex: number): number;
}
/** The Cubism 4 core calls read here. */
interface Cubism4Core {
  getDrawableCount(): number;
  getDrawableVertices(drawIndex: number): ArrayLike<number>;
  getDrawableOpacity(drawIndex: number): number;
}

/**
 * Reads a Live2D model's pose as it will be drawn (after its update ran this frame), for the
 * RedrawGate: vertex positions in the model's canvas units, opacities, and how many device pixels
 * a unit spans now. Buffers are reused from frame to frame. Returns undefined for a runtime it
 * does not know, and the caller then draws every frame as before.
 */
export class ModelPoseReader {
  private vertices: Float32Array = new Float32Array(0);
  private opacities: Float32Array = new Float32Array(0);
  /** Cubism 2 has no call for its number of parts: found once per model (see partCount). */
  private parts: { model: Live2DModel; count: number } | undefined;

  read(model: Live2DModel, resolution: number): VisibleSample | undefined {
    const internal = model.internalModel;
    const core = internal.coreModel as unknown as Partial<Cubism2Core & Cubism4Core>;
    let unit = 1;
    if (typeof core.getTransformedPoints === 'function' && typeof core.getPartsOpacity === 'function') {
      const count = internal.getDrawableIDs().length;
      this.fillVertices(count, (i) => core.getTransformedPoints!(i));
      const parts = this.partCount(model, core as Cubism2Core);
      this.opacities = sized(this.opacities, parts);
      for (let i = 0; i < parts; i++) this.opacities[i] = core.getPartsOpacity!(i);
    } else if (
      typeof core.getDrawableCount === 'function' &&
      typeof core.getDrawableVertices === 'function'
    ) {
      const count = core.getDrawableCount();
      this.fillVertices(count, (i) => core.getDrawableVertices!(i));
      this.opacities = sized(this.opacities, count);
      for (let i = 0; i < count; i++) this.opacities[i] = core.getDrawableOpacity?.(i) ?? 1;
      // Cubism 4 vertices are in its own units; the library scales them to the canvas units.
      unit = (internal as unknown as { pixelsPerUnit?: number }).pixelsPerUnit ?? 1;
    } else {
      return undefined;
    }
    return {
      vertices: this.vertices,
      opacities: this.opacities,
      pixelsPerUnit: unit * uniformScale(internal.localTransform, model.worldTransform) * resolution,
    };
  }

  private fillVertices(count: number, drawable: (index: number) => ArrayLike<number>): void {
    let length = 0;
    const arrays: ArrayLike<number>[] = [];
    for (let i = 0; i < count; i++) {
      const points = drawable(i);
      arrays.push(points);
      length += points.length;
    }
    this.vertices = sized(this.vertices, length);
    let offset = 0;
    for (const points of arrays) {
      this.vertices.set(points, offset);
      offset += points.length;
    }
  }

  /**
   * Cubism 2 keeps its part list under a minified name; asking for the opacity of one part past
   * the end throws. Counted once per model, up to a bound no real model reaches.
   */
  private partCount(model: Live2DModel, core: Cubism2Core): number {
    if (this.parts?.model === model) return this.parts.count;
    let count = 0;
    try {
      while (count < 4096 && Number.isFinite(core.getPartsOpacity(count))) count++;
    } catch {
      // The first index past the last part.
    }
    this.parts = { model, count };
    return count;
  }
}

interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
}

/** The linear scale of `world × local` (the model is scaled evenly, never skewed, by layout). */
function uniformScale(local: Affine, world: Affine): number {
  const a = world.a * local.a + world.c * local.b;
  const b = world.b * local.a + world.d * local.b;
  const c = world.a * local.c + world.c * local.d;
  const d = world.b * local.c + world.d * local.d;
  return Math.sqrt(Math.abs(a * d - b * c));
}

function sized(buffer: Float32Array, length: number): Float32Array {
  return buffer.length === length ? buffer : new Float32Array(length);
}
