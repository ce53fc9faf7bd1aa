import { describe, expect, it } from 'vitest';
import { TexelOccupancy } from '../../src/renderer/src/avatar/texel-occupancy';
import { emptyUpToLevel, highestSampledLevel } from '../../src/renderer/src/avatar/triangle-footprint';

/**
 * The pure half of leaving transparent triangles out (empty-triangles.ts): which texels hold
 * anything at each mip level, which texels a triangle's bilinear footprint reaches, and which mip
 * levels its size on screen makes trilinear filtering read. Chromium checks the picture stays the
 * same (tests/browser/batch-renderer.spec.ts).
 */

/** A width × height RGBA texture, empty but for the texels given (x, y, [r, g, b, a]). */
function texture(width: number, height: number, filled: [number, number, number[]][] = []): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (const [x, y, value] of filled) rgba.set(value, (y * width + x) * 4);
  return rgba;
}

/** Texture coordinates of the centre of texel (x, y) on a level-0 of width × height. */
const centre = (x: number, y: number, width: number, height: number) => [
  (x + 0.5) / width,
  (y + 0.5) / height,
];

describe('TexelOccupancy', () => {
  it('marks every texel that is not (0, 0, 0, 0), colour without alpha too, and each level above it', () => {
    const occupancy = new TexelOccupancy(
      texture(8, 8, [
        [5, 2, [0, 0, 0, 1]],
        [0, 7, [9, 0, 0, 0]], // colour under zero alpha: not trusted to be nothing
      ]),
      8,
      8,
    );
    expect(occupancy.maxLevel).toBe(3); // 8, 4, 2, 1
    expect(occupancy.isEmpty(0, 5, 2, 5, 2)).toBe(false);
    expect(occupancy.isEmpty(0, 0, 7, 0, 7)).toBe(false);
    expect(occupancy.isEmpty(0, 1, 0, 4, 6)).toBe(true);
    expect(occupancy.isEmpty(1, 2, 1, 2, 1)).toBe(false); // (5, 2) lies under level-1 texel (2, 1)
    expect(occupancy.isEmpty(1, 3, 0, 3, 3)).toBe(true);
    expect(occupancy.isEmpty(3, 0, 0, 0, 0)).toBe(false);
  });

  it('clamps rectangles to the texture as CLAMP_TO_EDGE does, and calls NaN "something there"', () => {
    const occupancy = new TexelOccupancy(texture(4, 4, [[3, 0, [1, 1, 1, 255]]]), 4, 4);
    expect(occupancy.isEmpty(0, 5, -2, 9, 0)).toBe(false); // beyond the right edge reads column 3
    expect(occupancy.isEmpty(0, -5, -5, -1, 3)).toBe(true); // beyond the left edge reads column 0
    expect(occupancy.isEmpty(0, NaN, 0, 1, 1)).toBe(false);
    expect(occupancy.isEmpty(0, 2, 0, 1, 0)).toBe(false); // an inverted rectangle is not "empty"
  });

  it('builds a level of odd size from a 3-texel box, so no texel of it is missed', () => {
    const occupancy = new TexelOccupancy(texture(3, 1, [[2, 0, [0, 0, 0, 8]]]), 3, 1);
    expect(occupancy.width(1)).toBe(1);
    expect(occupancy.isEmpty(1, 0, 0, 0, 0)).toBe(false);
  });

  it('refuses texel data of the wrong size', () => {
    expect(() => new TexelOccupancy(new Uint8Array(15), 2, 2)).toThrow(RangeError);
  });
});

describe('emptyUpToLevel', () => {
  const size = 64;
  // One opaque texel at (40, 40); everything else empty.
  const occupancy = new TexelOccupancy(texture(size, size, [[40, 40, [255, 255, 255, 255]]]), size, size);
  const triangleAround = (x: number, y: number, spanTexels: number) => {
    const [u, v] = centre(x, y, size, size) as [number, number];
    const d = spanTexels / size;
    return [u, v, u + d, v, u, v + d] as const;
  };

  it('is -1 for a triangle over the filled texel', () => {
    expect(emptyUpToLevel(occupancy, ...triangleAround(39, 39, 2))).toBe(-1);
  });

  it('is -1 when only a bilinear neighbour of its footprint is filled', () => {
    // The triangle reaches the centre of texel 39: bilinear filtering there may read texel 40.
    expect(emptyUpToLevel(occupancy, ...triangleAround(36, 40, 3))).toBe(-1);
  });

  it('counts the levels at which the footprint stays clear of the filled texel', () => {
    // Texels 4…6 at level 0, far from 40: empty at level 0 and a few levels up, until the blocks
    // (with the bilinear reach and the margin) grow to cover texel 40.
    const level = emptyUpToLevel(occupancy, ...triangleAround(4, 4, 2));
    expect(level).toBeGreaterThanOrEqual(1);
    expect(level).toBeLessThan(occupancy.maxLevel);
    for (let l = 0; l <= level; l++) expect(occupancy.isEmpty(l, 0, 0, 1, 1)).toBe(true);
  });

  it('is -1 for a triangle with a NaN coordinate', () => {
    expect(emptyUpToLevel(occupancy, NaN, 0.1, 0.1, 0.1, 0.1, 0.12)).toBe(-1);
  });

  it('counts every level of a texture with nothing in it', () => {
    const blank = new TexelOccupancy(texture(16, 16), 16, 16);
    expect(emptyUpToLevel(blank, 0, 0, 1, 0, 0, 1)).toBe(blank.maxLevel);
  });
});

describe('highestSampledLevel', () => {
  // A right triangle 16 px a side on screen, with texture coordinates spanning `texels` texels.
  const level = (texels: number, width = 256) =>
    highestSampledLevel(0, 0, 16, 0, 0, 16, 0, 0, texels / width, 0, 0, texels / width, width, width);

  it('is level 0 when the texture is magnified', () => {
    expect(level(8)).toBe(0);
  });

  it('reads the level above floor(λ) too (trilinear), with headroom at an exact power of two', () => {
    expect(level(64)).toBe(3); // 4 texels a pixel: λ = 2 (+ headroom), levels 2 and 3
    expect(level(48)).toBe(2); // 3 texels a pixel: λ ≈ 1.6, levels 1 and 2
    expect(level(16)).toBe(1); // 1:1, λ = 0 — but the GPU's rounding may pick minification
  });

  it('takes the larger of the GPU-allowed approximations for a rotated triangle', () => {
    // The same 4-texels-a-pixel mapping turned 45°: |du/dx| + |dv/dx| = 4·√2 ≈ 5.7 → λ ≈ 2.5.
    const c = Math.SQRT1_2;
    const rotated = highestSampledLevel(
      0,
      0,
      16 * c,
      16 * c,
      -16 * c,
      16 * c,
      0,
      0,
      64 / 256,
      0,
      0,
      64 / 256,
      256,
      256,
    );
    expect(rotated).toBe(3);
    // Squashed on screen along y only: ρ comes from the squashed axis.
    expect(highestSampledLevel(0, 0, 16, 0, 0, 2, 0, 0, 16 / 256, 0, 0, 16 / 256, 256, 256)).toBe(4);
  });

  it('is Infinity for a triangle without area on screen or with NaN in it', () => {
    expect(highestSampledLevel(0, 0, 1, 1, 2, 2, 0, 0, 1, 0, 0, 1, 64, 64)).toBe(Infinity);
    expect(highestSampledLevel(0, 0, NaN, 0, 0, 1, 0, 0, 1, 0, 0, 1, 64, 64)).toBe(Infinity);
  });
});
