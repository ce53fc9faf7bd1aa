import { describe, expect, it } from 'vitest';
import {
  BLEND_ADDITIVE,
  BLEND_NORMAL,
  DrawBatch,
  FLOATS_PER_VERTEX,
  MAX_RUN_VERTICES,
  type MeshDraw,
} from '../../src/renderer/src/avatar/draw-batch';

/** The identity's x/y part: no mirroring. A matrix with x flipped mirrors the picture. */
const UPRIGHT = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
const MIRRORED = [-1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

/**
 * A quad of two triangles at x offset `x`: the first clockwise on screen (a front face for the
 * core's frontFace(CW), y up), the second counter-clockwise (a back face).
 */
function quad(overrides: Partial<MeshDraw> = {}, x = 0): MeshDraw {
  return {
    texture: 0,
    blend: BLEND_NORMAL,
    culling: false,
    points: Float32Array.from([x, 0, x, 1, x + 1, 0, x + 1, 1]),
    uvs: Float32Array.from([0, 0, 0, 1, 1, 0, 1, 1]),
    // (0,0) → (0,1) → (1,0): clockwise with y up. (1,0) → (1,1) → (0,1): counter-clockwise.
    indices: Int16Array.from([0, 1, 2, 2, 3, 1]),
    opacity: 1,
    ...overrides,
  };
}

function indicesOf(batch: DrawBatch): number[] {
  return [...batch.indices.subarray(0, batch.indexCount)];
}

describe('DrawBatch', () => {
  it('puts consecutive meshes of one texture and blend mode in one run, indices shifted past earlier vertices', () => {
    const batch = new DrawBatch();
    batch.reset(UPRIGHT);
    batch.add(quad({ opacity: 0.5 }));
    batch.add(quad({}, 2));
    expect(batch.runs).toEqual([
      { texture: 0, blend: BLEND_NORMAL, firstVertex: 0, firstIndex: 0, indexCount: 12 },
    ]);
    expect(indicesOf(batch)).toEqual([0, 1, 2, 2, 3, 1, 4, 5, 6, 6, 7, 5]);
    expect(batch.vertexCount).toBe(8);
    // x, y, u, v, opacity per vertex, the mesh's opacity on each of its vertices.
    expect([...batch.vertices.subarray(0, FLOATS_PER_VERTEX)]).toEqual([0, 0, 0, 0, 0.5]);
    expect([...batch.vertices.subarray(4 * FLOATS_PER_VERTEX, 5 * FLOATS_PER_VERTEX)]).toEqual([
      2, 0, 0, 0, 1,
    ]);
    expect(batch.meshes).toBe(2);
  });

  it('starts a run at each change of texture or blend mode, in drawing order (no reordering)', () => {
    const batch = new DrawBatch();
    batch.reset(UPRIGHT);
    batch.add(quad({ texture: 0 }));
    batch.add(quad({ texture: 1 }));
    batch.add(quad({ texture: 0 }));
    batch.add(quad({ texture: 0, blend: BLEND_ADDITIVE }));
    expect(batch.runs.map((r) => [r.texture, r.blend, r.firstIndex, r.indexCount])).toEqual([
      [0, BLEND_NORMAL, 0, 6],
      [1, BLEND_NORMAL, 6, 6],
      [0, BLEND_NORMAL, 12, 6],
      [0, BLEND_ADDITIVE, 18, 6],
    ]);
  });

  it('leaves out meshes fainter than 1 %, as the core does, and keeps one at 1 %', () => {
    const batch = new DrawBatch();
    batch.reset(UPRIGHT);
    batch.add(quad({ opacity: 0.0099 }));
    batch.add(quad({ opacity: Number.NaN }));
    expect(batch.meshes).toBe(0);
    expect(batch.runs).toHaveLength(0);
    batch.add(quad({ opacity: 0.01 }));
    expect(batch.meshes).toBe(1);
  });

  it('culls as the GPU would: a culling mesh keeps its clockwise triangles only, a mirrored picture the others', () => {
    const batch = new DrawBatch();
    batch.reset(UPRIGHT);
    batch.add(quad({ culling: true }));
    expect(indicesOf(batch)).toEqual([0, 1, 2]);

    batch.reset(MIRRORED);
    batch.add(quad({ culling: true }));
    expect(indicesOf(batch)).toEqual([2, 3, 1]);

    batch.reset(UPRIGHT);
    batch.add(quad({ culling: false }));
    expect(indicesOf(batch)).toEqual([0, 1, 2, 2, 3, 1]);
  });

  it('keeps culling and non-culling meshes in one run', () => {
    const batch = new DrawBatch();
    batch.reset(UPRIGHT);
    batch.add(quad({ culling: true }));
    batch.add(quad({ culling: false }));
    expect(batch.runs).toHaveLength(1);
    expect(indicesOf(batch)).toEqual([0, 1, 2, 4, 5, 6, 6, 7, 5]);
  });

  it('reads the core’s Int16 indices as unsigned, as it draws them', () => {
    const count = 40_000;
    const points = new Float32Array(count * 2);
    points.set([0, 0, 0, 1, 1, 0], 2 * 39_997);
    const batch = new DrawBatch();
    batch.reset(UPRIGHT);
    batch.add(
      quad({ points, uvs: new Float32Array(count * 2), indices: Int16Array.from([39_997, 39_998, 39_999]) }),
    );
    expect(indicesOf(batch)).toEqual([39_997, 39_998, 39_999]);
  });

  it('starts a new run, indices counted from its own first vertex, before 16-bit indices would overflow', () => {
    const big = 40_000;
    const mesh = quad({
      points: new Float32Array(big * 2),
      uvs: new Float32Array(big * 2),
      indices: Int16Array.from([0, 1, 2]),
    });
    const batch = new DrawBatch();
    batch.reset(UPRIGHT);
    batch.add(mesh);
    batch.add(mesh);
    expect(2 * big).toBeGreaterThan(MAX_RUN_VERTICES);
    expect(batch.runs.map((r) => r.firstVertex)).toEqual([0, big]);
    expect(indicesOf(batch)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('empties on reset and grows past its first buffers', () => {
    const batch = new DrawBatch();
    batch.reset(UPRIGHT);
    for (let i = 0; i < 5000; i++) batch.add(quad({}, i));
    expect(batch.vertexCount).toBe(20_000);
    expect(batch.indexCount).toBe(30_000);
    batch.reset();
    expect([batch.vertexCount, batch.indexCount, batch.meshes, batch.runs.length]).toEqual([0, 0, 0, 0]);
  });

  describe('triangles that sample only empty texels', () => {
    // The quad is 1×1 model units; drawn on a 64×64 viewport through UPRIGHT it spans 32×32 px,
    // and its texture coordinates span a whole 64×64 texture: 2 texels a pixel, λ = 1 (+ headroom),
    // so trilinear filtering reads levels 1 and 2.
    const viewport = { width: 64, height: 64 };
    const transparent = (emptyUpTo: number[]) => ({
      emptyUpTo: Int8Array.from(emptyUpTo),
      width: 64,
      height: 64,
    });

    it('leaves out a triangle empty at every level its size on screen reads, keeps the rest', () => {
      const batch = new DrawBatch();
      batch.reset(UPRIGHT, viewport);
      batch.add(quad({ transparency: transparent([2, -1]) }));
      expect(indicesOf(batch)).toEqual([2, 3, 1]);
      expect(batch.emptyTriangles).toBe(1);
      expect(batch.runs[0]!.indexCount).toBe(3);
    });

    it('draws it when it is drawn small enough to read a mip level that holds something', () => {
      const batch = new DrawBatch();
      batch.reset(UPRIGHT, viewport);
      batch.add(quad({ transparency: transparent([1, -1]) }));
      expect(indicesOf(batch)).toEqual([0, 1, 2, 2, 3, 1]);
      // The same quad drawn 4× larger reads level 0 only: then it can go.
      batch.reset(UPRIGHT, { width: 256, height: 256 });
      batch.add(quad({ transparency: transparent([1, -1]) }));
      expect(indicesOf(batch)).toEqual([2, 3, 1]);
    });

    it('culls as before alongside', () => {
      const batch = new DrawBatch();
      batch.reset(UPRIGHT, viewport);
      batch.add(quad({ culling: true, transparency: transparent([-1, 5]) }));
      expect(indicesOf(batch)).toEqual([0, 1, 2]); // the back face culled, the front one kept
      batch.reset(UPRIGHT, viewport);
      batch.add(quad({ culling: true, transparency: transparent([5, -1]) }));
      expect(indicesOf(batch)).toEqual([]);
    });

    it('draws everything when the size on screen is unknown: no viewport, or a perspective matrix', () => {
      const batch = new DrawBatch();
      batch.reset(UPRIGHT);
      batch.add(quad({ transparency: transparent([5, 5]) }));
      expect(indicesOf(batch)).toEqual([0, 1, 2, 2, 3, 1]);
      const perspective = [...UPRIGHT];
      perspective[11] = -1;
      perspective[15] = 0;
      batch.reset(perspective, viewport);
      batch.add(quad({ transparency: transparent([5, 5]) }));
      expect(indicesOf(batch)).toEqual([0, 1, 2, 2, 3, 1]);
      expect(batch.emptyTriangles).toBe(0);
    });
  });
});
