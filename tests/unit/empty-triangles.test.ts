import { describe, expect, it } from 'vitest';
import { EmptyTriangles } from '../../src/renderer/src/avatar/empty-triangles';

/**
 * The per-model cache behind leaving transparent triangles out: each texture read back from WebGL
 * once, each mesh worked out once, and nothing left out when the texture cannot be read. The
 * footprint maths is tested in triangle-footprint.test.ts, the picture in Chromium.
 */

/** A WebGL context whose textures are 4×4, filled only in their left half, counting read-backs. */
function fakeGl(options: { complete?: boolean } = {}) {
  const reads: number[] = [];
  const gl = {
    FRAMEBUFFER: 1,
    FRAMEBUFFER_BINDING: 2,
    COLOR_ATTACHMENT0: 3,
    TEXTURE_2D: 4,
    FRAMEBUFFER_COMPLETE: 5,
    RGBA: 6,
    UNSIGNED_BYTE: 7,
    NO_ERROR: 0,
    createFramebuffer: () => ({}),
    deleteFramebuffer: () => {},
    bindFramebuffer: () => {},
    framebufferTexture2D: () => {},
    getParameter: () => null,
    checkFramebufferStatus: () => (options.complete === false ? 0 : 5),
    getError: () => 0,
    readPixels: (
      _x: number,
      _y: number,
      width: number,
      height: number,
      _f: number,
      _t: number,
      out: Uint8Array,
    ) => {
      reads.push(width * height);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width / 2; x++) out.fill(255, (y * width + x) * 4, (y * width + x) * 4 + 4);
    },
  };
  return { gl: gl as unknown as WebGLRenderingContext, reads };
}

const size = { width: 4, height: 4 };
// Two triangles: one over the filled left half, one in the far right corner (empty at level 0).
const uvs = Float32Array.from([0, 0, 0.25, 0, 0, 0.25, 0.99, 0.99, 1, 0.99, 0.99, 1]);
const indices = Int16Array.from([0, 1, 2, 3, 4, 5]);

describe('EmptyTriangles', () => {
  it('finds the triangles that read only empty texels, reading each texture back once', () => {
    const { gl, reads } = fakeGl();
    const empty = new EmptyTriangles(() => {});
    const texture = {} as WebGLTexture;
    const first = empty.forMesh(gl, texture, size, indices, uvs);
    expect(first).toBeDefined();
    expect(first!.emptyUpTo[0]).toBe(-1);
    expect(first!.emptyUpTo[1]).toBeGreaterThanOrEqual(0);
    expect([first!.width, first!.height]).toEqual([4, 4]);
    // Another mesh on the same texture: no second read-back.
    empty.forMesh(gl, texture, size, Int16Array.from([3, 4, 5]), uvs);
    expect(reads).toEqual([16]);
  });

  it('keeps a mesh’s answer while its arrays and texture stay, and works it out again when they change', () => {
    const { gl } = fakeGl();
    const empty = new EmptyTriangles(() => {});
    const texture = {} as WebGLTexture;
    const first = empty.forMesh(gl, texture, size, indices, uvs);
    expect(empty.forMesh(gl, texture, size, indices, uvs)).toBe(first);
    // Texture coordinates moved over the filled half: nothing of this mesh is empty any more.
    const moved = Float32Array.from([0, 0, 0.25, 0, 0, 0.25, 0.1, 0.1, 0.2, 0.1, 0.1, 0.2]);
    expect(empty.forMesh(gl, texture, size, indices, moved)).toBeUndefined();
  });

  it('leaves nothing out, and says so once, when a texture cannot be read back', () => {
    const { gl, reads } = fakeGl({ complete: false });
    const logs: string[] = [];
    const empty = new EmptyTriangles((m) => logs.push(m));
    const texture = {} as WebGLTexture;
    expect(empty.forMesh(gl, texture, size, indices, uvs)).toBeUndefined();
    expect(empty.forMesh(gl, texture, size, Int16Array.from([3, 4, 5]), uvs)).toBeUndefined();
    expect(reads).toEqual([]);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/could not be read back/);
  });

  it('leaves nothing out without a texture or its size', () => {
    const { gl } = fakeGl();
    const empty = new EmptyTriangles(() => {});
    expect(empty.forMesh(gl, null, size, indices, uvs)).toBeUndefined();
    expect(empty.forMesh(gl, {} as WebGLTexture, undefined, indices, uvs)).toBeUndefined();
    expect(empty.forMesh(gl, {} as WebGLTexture, { width: 0, height: 4 }, indices, uvs)).toBeUndefined();
  });
});
