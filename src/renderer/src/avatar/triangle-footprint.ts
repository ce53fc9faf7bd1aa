import type { TexelOccupancy } from './texel-occupancy';

/**
 * Whether a triangle can draw anything, from its texture coordinates alone. The renderer samples
 * with trilinear filtering (pixi's mipmapped textures, LINEAR_MIPMAP_LINEAR): every fragment reads
 * 2×2 texels at two neighbouring mip levels, picked by how many texels a screen pixel spans. A
 * triangle whose every such texel is (0, 0, 0, 0) adds a premultiplied zero under every one of
 * the Cubism 2 blend modes, i.e. leaves the picture exactly as it was, and can be left out.
 *
 * Two halves: `emptyUpToLevel` once per triangle (texture coordinates do not move), and
 * `highestSampledLevel` per frame (the triangle's size on screen does).
 */

/**
 * Texels beyond the bilinear 2×2 read on each side at every level: the interpolated coordinate
 * of a pixel on the triangle's edge may fall a rounding error outside the triangle's range.
 */
const MARGIN_TEXELS = 1;
/** Headroom on the computed level of detail for the GPU's own rounding of it. */
const LOD_HEADROOM = 1.05;

/**
 * The highest mip level L such that at levels 0…L every texel bilinear filtering can read for a
 * point of the triangle holds nothing; -1 when level 0 already holds something. The footprint is
 * the triangle's bounding box in texture space (a superset of it: never too small).
 */
export function emptyUpToLevel(
  occupancy: TexelOccupancy,
  u0: number,
  v0: number,
  u1: number,
  v1: number,
  u2: number,
  v2: number,
): number {
  const uMin = Math.min(u0, u1, u2);
  const uMax = Math.max(u0, u1, u2);
  const vMin = Math.min(v0, v1, v2);
  const vMax = Math.max(v0, v1, v2);
  let level = 0;
  for (; level <= occupancy.maxLevel; level++) {
    const w = occupancy.width(level);
    const h = occupancy.height(level);
    // Bilinear filtering at coordinate u reads texels floor(u·w - 0.5) and the one after it.
    const x0 = Math.floor(uMin * w - 0.5) - MARGIN_TEXELS;
    const x1 = Math.floor(uMax * w - 0.5) + 1 + MARGIN_TEXELS;
    const y0 = Math.floor(vMin * h - 0.5) - MARGIN_TEXELS;
    const y1 = Math.floor(vMax * h - 0.5) + 1 + MARGIN_TEXELS;
    if (!occupancy.isEmpty(level, x0, y0, x1, y1)) break;
  }
  return level - 1;
}

/**
 * The highest mip level trilinear filtering can read for a triangle drawn at screen positions
 * (x, y in device pixels) with texture coordinates (u, v) on a texture of `width` × `height`
 * texels at level 0. Over a triangle the mapping from screen to texture is affine, so the level of
 * detail is the same for all its pixels: λ = log2 ρ, ρ the texels one pixel step spans. OpenGL ES
 * lets the GPU approximate ρ anywhere between the longer axis and the sum of both axes; the sum is
 * taken here (the larger), plus headroom, and the level above floor(λ) is read too (trilinear).
 * Magnified (λ ≤ 0): level 0. Returns Infinity for a triangle without area on screen (it covers
 * no pixel, but a sliver of rounding must never be called transparent).
 */
export function highestSampledLevel(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  u0: number,
  v0: number,
  u1: number,
  v1: number,
  u2: number,
  v2: number,
  width: number,
  height: number,
): number {
  const ax = x1 - x0;
  const ay = y1 - y0;
  const bx = x2 - x0;
  const by = y2 - y0;
  const det = ax * by - ay * bx;
  if (!(Math.abs(det) > 1e-9)) return Infinity;
  const au = (u1 - u0) * width;
  const av = (v1 - v0) * height;
  const bu = (u2 - u0) * width;
  const bv = (v2 - v0) * height;
  // The screen → texel Jacobian: [au bu; av bv] · inverse([ax bx; ay by]).
  const dudx = (au * by - bu * ay) / det;
  const dudy = (bu * ax - au * bx) / det;
  const dvdx = (av * by - bv * ay) / det;
  const dvdy = (bv * ax - av * bx) / det;
  const rho = Math.max(Math.abs(dudx) + Math.abs(dvdx), Math.abs(dudy) + Math.abs(dvdy)) * LOD_HEADROOM;
  if (!Number.isFinite(rho)) return Infinity;
  if (rho <= 1) return 0;
  return Math.floor(Math.log2(rho)) + 1;
}
