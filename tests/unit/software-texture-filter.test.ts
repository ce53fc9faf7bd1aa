import { describe, expect, it } from 'vitest';
import {
  isSoftwareRenderer,
  SoftwareTextureFilter,
} from '../../src/renderer/src/avatar/software-texture-filter';

// WebGL's enum values, as a real context has them.
const GL = {
  TEXTURE_2D: 0x0de1,
  TEXTURE_MIN_FILTER: 0x2801,
  TEXTURE_BINDING_2D: 0x8069,
  LINEAR: 0x2601,
  LINEAR_MIPMAP_LINEAR: 0x2703,
  LINEAR_MIPMAP_NEAREST: 0x2701,
  UNMASKED_RENDERER_WEBGL: 0x9246,
};

const SWIFTSHADER =
  'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const GPU = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002504) Direct3D11 vs_5_0 ps_5_0, D3D11)';

/** A WebGL context that keeps each texture's minification filter and logs the calls made on it. */
function fakeGl(renderer: string | undefined, filters: Map<object, number>, bound: object | null = null) {
  const calls: string[] = [];
  let current: object | null = bound;
  const gl = {
    ...GL,
    getExtension: (name: string) =>
      name === 'WEBGL_debug_renderer_info' && renderer !== undefined
        ? { UNMASKED_RENDERER_WEBGL: GL.UNMASKED_RENDERER_WEBGL }
        : null,
    getParameter: (p: number) => {
      if (p === GL.UNMASKED_RENDERER_WEBGL) return renderer;
      if (p === GL.TEXTURE_BINDING_2D) return current;
      throw new Error(`unexpected getParameter ${p}`);
    },
    bindTexture: (_target: number, texture: object | null) => {
      calls.push(`bind ${texture === null ? 'null' : String((texture as { id: string }).id)}`);
      current = texture;
    },
    getTexParameter: () => filters.get(current!),
    texParameteri: (_target: number, pname: number, value: number) => {
      calls.push(`min ${(current as { id: string }).id}`);
      if (pname === GL.TEXTURE_MIN_FILTER) filters.set(current!, value);
    },
  };
  return { gl: gl as unknown as WebGLRenderingContext, calls, bound: () => current };
}

describe('software texture filtering', () => {
  it('knows the CPU implementations of WebGL by name, and nothing else', () => {
    expect(isSoftwareRenderer(SWIFTSHADER)).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.7, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('Microsoft Basic Render Driver')).toBe(true);
    expect(isSoftwareRenderer(GPU)).toBe(false);
    expect(isSoftwareRenderer('Apple M2')).toBe(false);
    // A browser that does not tell is treated as a GPU: the picture stays as pixi draws it.
    expect(isSoftwareRenderer(undefined)).toBe(false);
  });

  it('in software GL reads mipmapped textures from the nearest level, once each, and leaves the binding as it was', () => {
    const [a, b, flat, other] = [{ id: 'a' }, { id: 'b' }, { id: 'flat' }, { id: 'other' }];
    const filters = new Map<object, number>([
      [a, GL.LINEAR_MIPMAP_LINEAR],
      [b, GL.LINEAR_MIPMAP_LINEAR],
      [flat, GL.LINEAR], // no mipmaps: nothing to choose from
    ]);
    const { gl, calls, bound } = fakeGl(SWIFTSHADER, filters, other);
    const filter = SoftwareTextureFilter.for(gl);
    expect(filter.software).toBe(true);

    filter.apply([a, undefined, flat]);
    expect(filters.get(a)).toBe(GL.LINEAR_MIPMAP_NEAREST);
    expect(filters.get(flat)).toBe(GL.LINEAR);
    expect(filter.changed).toBe(1);
    expect(bound()).toBe(other);

    // b was not uploaded yet the first time; a is not touched again.
    calls.length = 0;
    filter.apply([a, b, flat]);
    expect(filters.get(b)).toBe(GL.LINEAR_MIPMAP_NEAREST);
    expect(calls).toEqual(['bind b', 'min b', 'bind other']);
    expect(filter.changed).toBe(2);

    calls.length = 0;
    filter.apply([a, b, flat]);
    expect(calls).toEqual([]);
  });

  it('on a GPU changes nothing', () => {
    const texture = { id: 't' };
    const filters = new Map<object, number>([[texture, GL.LINEAR_MIPMAP_LINEAR]]);
    const { gl, calls } = fakeGl(GPU, filters);
    const filter = SoftwareTextureFilter.for(gl);
    expect(filter.software).toBe(false);
    filter.apply([texture]);
    expect(filters.get(texture)).toBe(GL.LINEAR_MIPMAP_LINEAR);
    expect(calls).toEqual([]);
  });
});
