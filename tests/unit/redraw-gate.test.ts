import { describe, expect, it } from 'vitest';
import type { Live2DModel } from 'pixi-live2d-display';
import { ModelPoseReader } from '../../src/renderer/src/avatar/model-pose';
import {
  IDLE_REDRAW_THRESHOLD_PX,
  REDRAW_THRESHOLD_OPACITY,
  REDRAW_THRESHOLD_PX,
  RedrawGate,
  type VisibleSample,
} from '../../src/renderer/src/avatar/redraw-gate';

/** Two drawables (a triangle and a point pair) and two parts, 2 device pixels per model unit. */
function pose(shift = 0, opacity = 1, pixelsPerUnit = 2): VisibleSample {
  return {
    vertices: Float32Array.from([0, 0, 10, 0, 0, 10, 5 + shift, 5, 6 + shift, 6]),
    opacities: Float32Array.from([1, opacity]),
    pixelsPerUnit,
  };
}

describe('RedrawGate', () => {
  it('draws the first frame, then skips frames that look the same', () => {
    const gate = new RedrawGate();
    expect(gate.admit(pose())).toBe(true);
    expect(gate.admit(pose())).toBe(false);
    expect(gate.admit(pose())).toBe(false);
    expect(gate.counts).toEqual({ admitted: 1, skipped: 2 });
  });

  it('draws a vertex moved by a device pixel, not by less', () => {
    const gate = new RedrawGate();
    gate.admit(pose());
    // 2 device pixels per unit: 0.45 units is 0.9 px, 0.5 units is the 1 px threshold.
    expect(gate.admit(pose(0.45))).toBe(false);
    expect(gate.admit(pose(0.5))).toBe(true);
    expect(REDRAW_THRESHOLD_PX).toBe(1);
  });

  it('adds slow movement up against the last frame drawn, so a slow drift is drawn once it shows', () => {
    const gate = new RedrawGate();
    gate.admit(pose(0));
    const drawnAt: number[] = [];
    // 0.1 units (0.2 px) per frame: never a pixel from one frame to the next.
    for (let frame = 1; frame <= 20; frame++) {
      if (gate.admit(pose(frame * 0.1))) drawnAt.push(frame);
    }
    expect(drawnAt).toEqual([5, 10, 15, 20]);
  });

  it('counts the same movement in device pixels: at a higher resolution it is drawn', () => {
    const low = new RedrawGate();
    low.admit(pose(0, 1, 1));
    expect(low.admit(pose(0.6, 1, 1))).toBe(false); // 0.6 px
    const high = new RedrawGate();
    high.admit(pose(0, 1, 2));
    expect(high.admit(pose(0.6, 1, 2))).toBe(true); // 1.2 px
  });

  it('draws an opacity change (a part fading in or out)', () => {
    const gate = new RedrawGate();
    gate.admit(pose(0, 1));
    expect(gate.admit(pose(0, 1 - REDRAW_THRESHOLD_OPACITY / 2))).toBe(false);
    expect(gate.admit(pose(0, 0.5))).toBe(true);
  });

  it('draws after invalidate (a resize, a new resolution or model) even when nothing moved', () => {
    const gate = new RedrawGate();
    gate.admit(pose());
    expect(gate.admit(pose())).toBe(false);
    gate.invalidate();
    expect(gate.admit(pose())).toBe(true);
    expect(gate.admit(pose())).toBe(false);
  });

  it('draws when the mesh itself changes, the scale is unusable, or the pose holds NaN', () => {
    const gate = new RedrawGate();
    gate.admit(pose());
    const longer = { ...pose(), vertices: Float32Array.from([...Array.from(pose().vertices), 1, 1]) };
    expect(gate.admit(longer)).toBe(true);
    expect(gate.admit({ ...longer, pixelsPerUnit: 0 })).toBe(true);
    const broken = Float32Array.from(longer.vertices);
    broken[3] = Number.NaN;
    expect(gate.admit({ ...longer, vertices: broken })).toBe(true);
  });

  it('takes a threshold that can change between frames: 2 px silent, 1 px speaking, against the last frame drawn', () => {
    const gate = new RedrawGate(IDLE_REDRAW_THRESHOLD_PX);
    expect(IDLE_REDRAW_THRESHOLD_PX).toBe(2);
    gate.admit(pose());
    // 2 device pixels per unit: 0.75 units is 1.5 px, under the silent threshold.
    expect(gate.admit(pose(0.75))).toBe(false);
    gate.thresholdPx = REDRAW_THRESHOLD_PX;
    // Still 1.5 px from the last frame drawn: drawn now that she speaks.
    expect(gate.admit(pose(0.75))).toBe(true);
    gate.thresholdPx = IDLE_REDRAW_THRESHOLD_PX;
    expect(gate.admit(pose(1.5))).toBe(false);
    expect(gate.admit(pose(1.75))).toBe(true);
  });

  it('compares against a copy: a runtime reusing its buffers in place cannot hide a change', () => {
    const gate = new RedrawGate();
    const sample = pose();
    gate.admit(sample);
    (sample.vertices as Float32Array)[0] = 100;
    expect(gate.admit(sample)).toBe(true);
  });
});

/** Just enough of a Live2DModel for the reader: a core, transforms and the drawable list. */
function fakeModel(
  core: object,
  options: { localScale?: number; worldScale?: number; drawables?: number } = {},
) {
  const { localScale = 0.5, worldScale = 0.25, drawables = 2 } = options;
  return {
    worldTransform: { a: worldScale, b: 0, c: 0, d: worldScale },
    internalModel: {
      coreModel: core,
      localTransform: { a: localScale, b: 0, c: 0, d: localScale },
      pixelsPerUnit: 100,
      getDrawableIDs: () => Array.from({ length: drawables }, (_, i) => `D${i}`),
    },
  } as unknown as Live2DModel;
}

describe('ModelPoseReader', () => {
  it('reads a Cubism 2 model: transformed points of every drawable and every part opacity', () => {
    const points = [Float32Array.from([1, 2, 3, 4]), Float32Array.from([5, 6])];
    const parts = [1, 0.5, 0];
    const core = {
      getTransformedPoints: (i: number) => points[i]!,
      getPartsOpacity: (i: number) => {
        if (i >= parts.length) throw new TypeError('no such part'); // as live2d.min.js does
        return parts[i]!;
      },
    };
    const model = fakeModel(core);
    const sample = new ModelPoseReader().read(model, 2)!;
    expect(Array.from(sample.vertices)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(sample.opacities)).toEqual([1, 0.5, 0]);
    // local 0.5 × world 0.25 × resolution 2.
    expect(sample.pixelsPerUnit).toBeCloseTo(0.25);
  });

  it('reads a Cubism 4 model in its own units, scaled to the canvas units the layout uses', () => {
    const vertices = [Float32Array.from([0.1, 0.2]), Float32Array.from([0.3, 0.4, 0.5, 0.6])];
    const core = {
      getDrawableCount: () => 2,
      getDrawableVertices: (i: number) => vertices[i]!,
      getDrawableOpacity: (i: number) => (i === 0 ? 1 : 0.25),
    };
    const sample = new ModelPoseReader().read(fakeModel(core), 1)!;
    expect(Array.from(sample.vertices).map((v) => Math.round(v * 10) / 10)).toEqual([
      0.1, 0.2, 0.3, 0.4, 0.5, 0.6,
    ]);
    expect(Array.from(sample.opacities)).toEqual([1, 0.25]);
    expect(sample.pixelsPerUnit).toBeCloseTo(100 * 0.5 * 0.25);
  });

  it('gives no sample for a runtime it does not know (the avatar then draws every frame)', () => {
    expect(new ModelPoseReader().read(fakeModel({}), 1)).toBeUndefined();
  });

  it('follows the live pose: a moved vertex reaches the gate on the next read', () => {
    const points = [Float32Array.from([0, 0, 10, 10])];
    const core = {
      getTransformedPoints: () => points[0]!,
      getPartsOpacity: (i: number) => (i < 1 ? 1 : NaN),
    };
    const model = fakeModel(core, { localScale: 1, worldScale: 1, drawables: 1 });
    const reader = new ModelPoseReader();
    const gate = new RedrawGate();
    expect(gate.admit(reader.read(model, 1)!)).toBe(true);
    expect(gate.admit(reader.read(model, 1)!)).toBe(false);
    points[0]![2] = 11.5; // 1.5 device pixels
    expect(gate.admit(reader.read(model, 1)!)).toBe(true);
  });
});
