/**
 * Which texels of a texture hold anything, at every mip level: the data behind leaving fully
 * transparent triangles out of a frame (empty-triangles.ts).
 *
 * Level 0 marks each texel that is not (0, 0, 0, 0). Each level above marks a texel when any texel
 * of the level below it was built from is marked, so a level-L texel is unmarked only if every
 * level-0 texel under it is empty, and then any mipmap filter that averages those texels (every
 * `generateMipmap` does) gives exactly (0, 0, 0, 0) there. For a level of odd size the block
 * reaches one texel further (a 3-texel box, as some drivers filter non-power-of-two textures);
 * that only marks more texels, never fewer.
 *
 * Pure data, no WebGL.
 */
export class TexelOccupancy {
  /** Marked texels per level, rows of `widths[level]`, row 0 at texture coordinate t = 0. */
  private readonly levels: Uint8Array[] = [];
  private readonly widths: number[] = [];
  private readonly heights: number[] = [];

  /**
   * `rgba`: the texture's level 0 as WebGL reads it back (4 bytes a texel, row 0 first, which is
   * texture coordinate t = 0).
   */
  constructor(rgba: Uint8Array, width: number, height: number) {
    if (!(width >= 1 && height >= 1) || rgba.length < width * height * 4) {
      throw new RangeError(`texel data of ${rgba.length} bytes is not ${width}×${height} RGBA`);
    }
    const base = new Uint8Array(width * height);
    for (let i = 0, p = 0; i < base.length; i++, p += 4) {
      base[i] = rgba[p]! | rgba[p + 1]! | rgba[p + 2]! | rgba[p + 3]! ? 1 : 0;
    }
    this.push(base, width, height);
    let w = width;
    let h = height;
    while (w > 1 || h > 1) {
      const below = this.levels[this.levels.length - 1]!;
      const nw = Math.max(1, w >> 1);
      const nh = Math.max(1, h >> 1);
      // A box of 2 texels, or 3 where the level below has an odd size.
      const reachX = w % 2 === 1 && w > 1 ? 2 : 1;
      const reachY = h % 2 === 1 && h > 1 ? 2 : 1;
      const level = new Uint8Array(nw * nh);
      for (let y = 0; y < nh; y++) {
        for (let x = 0; x < nw; x++) {
          let marked = 0;
          for (let dy = 0; dy <= reachY && !marked; dy++) {
            const sy = Math.min(h - 1, 2 * y + dy);
            for (let dx = 0; dx <= reachX; dx++) {
              if (below[sy * w + Math.min(w - 1, 2 * x + dx)]) {
                marked = 1;
                break;
              }
            }
          }
          level[y * nw + x] = marked;
        }
      }
      this.push(level, nw, nh);
      w = nw;
      h = nh;
    }
  }

  /** The highest mip level (0 for a 1×1 texture). */
  get maxLevel(): number {
    return this.levels.length - 1;
  }

  width(level: number): number {
    return this.widths[level] ?? 1;
  }

  height(level: number): number {
    return this.heights[level] ?? 1;
  }

  /**
   * True when no texel in columns x0…x1 and rows y0…y1 (inclusive, clamped to the level as
   * CLAMP_TO_EDGE clamps) of `level` holds anything.
   */
  isEmpty(level: number, x0: number, y0: number, x1: number, y1: number): boolean {
    const texels = this.levels[level];
    // Written so that NaN (a broken texture coordinate) counts as "something there".
    if (!texels || !(x0 <= x1 && y0 <= y1)) return false;
    const w = this.widths[level]!;
    const h = this.heights[level]!;
    const left = clamp(x0, w);
    const right = clamp(x1, w);
    const top = clamp(y0, h);
    const bottom = clamp(y1, h);
    for (let y = top; y <= bottom; y++) {
      const row = y * w;
      for (let x = left; x <= right; x++) if (texels[row + x]) return false;
    }
    return true;
  }

  private push(level: Uint8Array, width: number, height: number): void {
    this.levels.push(level);
    this.widths.push(width);
    this.heights.push(height);
  }
}

function clamp(value: number, size: number): number {
  return Math.min(size - 1, Math.max(0, value));
}
