/**
 * Gathers a frame's textured meshes, in drawing order, into one vertex array and one index array,
 * and cuts them into runs that can each go to the GPU as one draw call: consecutive meshes with the
 * same texture and blend mode. Drawing a run's triangles in index order gives the same picture as
 * drawing its meshes one by one (the GPU blends primitives in the order given), so only the number
 * of draw calls changes.
 *
 * Face culling is done here rather than by the GPU, so that meshes that cull and meshes that do not
 * can share a draw call: a culling mesh's triangles that would face away on screen are left out of
 * the index array, which is what the GPU's culling would have done with them.
 *
 * Triangles that would sample only fully transparent texels at the size they are drawn
 * (empty-triangles.ts, triangle-footprint.ts) are left out too: they would blend a premultiplied
 * zero, which changes no pixel, and in software GL every fragment filled costs CPU.
 *
 * Pure data, no WebGL: the renderer uploads and draws it.
 */
import type { MeshTransparency } from './empty-triangles';
import { highestSampledLevel } from './triangle-footprint';

/** The Cubism 2 blend modes (its DDTexture option bits): normal, additive, multiplicative. */
export const BLEND_NORMAL = 0;
export const BLEND_ADDITIVE = 1;
export const BLEND_MULTIPLY = 2;
export type BlendMode = typeof BLEND_NORMAL | typeof BLEND_ADDITIVE | typeof BLEND_MULTIPLY;

export function isBlendMode(value: unknown): value is BlendMode {
  return value === BLEND_NORMAL || value === BLEND_ADDITIVE || value === BLEND_MULTIPLY;
}

/** One mesh as the core would draw it. */
export interface MeshDraw {
  texture: number;
  blend: BlendMode;
  /** Leave out triangles that face away on screen. */
  culling: boolean;
  /** x, y per vertex, in the model's units (the core's transformed points). */
  points: ArrayLike<number>;
  /** u, v per vertex. */
  uvs: ArrayLike<number>;
  /** Triangles, three vertex numbers each, into this mesh's own vertices. */
  indices: ArrayLike<number>;
  /** Everything the mesh is multiplied by: its own opacity × its part's × the model's. */
  opacity: number;
  /** Which triangles sample only empty texels, up to which mip level (absent: draw them all). */
  transparency?: MeshTransparency;
}

/** The drawing buffer's viewport, in device pixels. */
export interface Viewport {
  width: number;
  height: number;
}

/** Meshes drawn with one call: a slice of the index array over a window of the vertex array. */
export interface DrawRun {
  /** The model's texture number. */
  texture: number;
  blend: BlendMode;
  /** The run's vertex 0 in the vertex array (the attribute pointers start here). */
  firstVertex: number;
  /** Where its indices start in the index array, and how many. */
  firstIndex: number;
  indexCount: number;
}

/** x, y, u, v, opacity. */
export const FLOATS_PER_VERTEX = 5;
/** 16-bit indices (WebGL 1 has no other without an extension) address this many vertices a run. */
export const MAX_RUN_VERTICES = 65536;
/** The Cubism 2 core leaves out meshes fainter than this (outside clipping masks); so does the batch. */
export const MIN_DRAWN_OPACITY = 0.01;

export class DrawBatch {
  vertices = new Float32Array(4096 * FLOATS_PER_VERTEX);
  indices = new Uint16Array(12288);
  readonly runs: DrawRun[] = [];
  vertexCount = 0;
  indexCount = 0;
  /** Meshes added and kept this frame. */
  meshes = 0;
  private runVertices = 0;
  private screenWinding = 1;
  /** Model units → device pixels (the matrix's linear part × half the viewport); 0: unknown. */
  private toScreen = [0, 0, 0, 0];
  private canDropEmpty = false;
  /** Triangles left out this frame because they sample only empty texels. */
  emptyTriangles = 0;

  /**
   * Empties the batch for a frame drawn through `matrix` (column-major 4×4, the core's: model units
   * to clip space, affine in x and y). Its sign says whether it mirrors the model on screen, which
   * turns every triangle's winding over.
   */
  reset(matrix?: ArrayLike<number>, viewport?: Viewport): void {
    this.runs.length = 0;
    this.vertexCount = 0;
    this.indexCount = 0;
    this.meshes = 0;
    this.runVertices = 0;
    this.emptyTriangles = 0;
    if (!matrix) return;
    this.screenWinding = Math.sign(matrix[0]! * matrix[5]! - matrix[1]! * matrix[4]!);
    // Empty triangles are left out only when their size on screen is known: an affine matrix
    // (no perspective: w stays 1) and the viewport it maps clip space onto.
    const affine = matrix[3] === 0 && matrix[7] === 0 && matrix[15] === 1;
    this.canDropEmpty = Boolean(viewport && viewport.width > 0 && viewport.height > 0 && affine);
    if (!this.canDropEmpty || !viewport) return;
    const halfWidth = viewport.width / 2;
    const halfHeight = viewport.height / 2;
    this.toScreen = [
      matrix[0]! * halfWidth,
      matrix[4]! * halfWidth,
      matrix[1]! * halfHeight,
      matrix[5]! * halfHeight,
    ];
  }

  /** Appends a mesh (or leaves it out, as the core does, when it is too faint to show). */
  add(mesh: MeshDraw): void {
    if (!(mesh.opacity >= MIN_DRAWN_OPACITY)) return;
    const count = mesh.points.length >> 1;
    if (count === 0 || mesh.indices.length === 0) return;
    if (count > MAX_RUN_VERTICES) throw new RangeError(`a mesh of ${count} vertices cannot be batched`);
    let run = this.runs[this.runs.length - 1];
    if (
      !run ||
      run.texture !== mesh.texture ||
      run.blend !== mesh.blend ||
      this.runVertices + count > MAX_RUN_VERTICES
    ) {
      run = {
        texture: mesh.texture,
        blend: mesh.blend,
        firstVertex: this.vertexCount,
        firstIndex: this.indexCount,
        indexCount: 0,
      };
      this.runs.push(run);
      this.runVertices = 0;
    }
    this.reserve(count, mesh.indices.length);

    const { points, uvs, opacity } = mesh;
    const out = this.vertices;
    let o = this.vertexCount * FLOATS_PER_VERTEX;
    for (let v = 0; v < count; v++) {
      out[o] = points[2 * v]!;
      out[o + 1] = points[2 * v + 1]!;
      out[o + 2] = uvs[2 * v]!;
      out[o + 3] = uvs[2 * v + 1]!;
      out[o + 4] = opacity;
      o += FLOATS_PER_VERTEX;
    }
    const transparency = this.canDropEmpty ? mesh.transparency : undefined;
    const added = transparency
      ? this.addVisible(mesh, transparency)
      : mesh.culling
        ? this.addFrontFaces(mesh)
        : this.addAll(mesh);

    this.vertexCount += count;
    this.runVertices += count;
    this.indexCount += added;
    run.indexCount += added;
    this.meshes++;
  }

  // The core hands its indices as Int16 and draws them as UNSIGNED_SHORT: the same 16 bits here.

  private addAll(mesh: MeshDraw): number {
    const base = this.runVertices;
    const { indices } = mesh;
    const target = this.indices;
    let i = this.indexCount;
    for (let k = 0; k < indices.length; k++) target[i++] = (indices[k]! & 0xffff) + base;
    return indices.length;
  }

  /**
   * The triangles the GPU's culling would keep: with the core's clockwise front faces
   * (frontFace(CW)) and y up in window coordinates, a front face has a negative signed area on
   * screen. Zero-area triangles cover no pixel and are left out too.
   */
  private addFrontFaces(mesh: MeshDraw): number {
    const base = this.runVertices;
    const { indices, points } = mesh;
    const target = this.indices;
    const winding = this.screenWinding;
    let i = this.indexCount;
    for (let k = 0; k + 2 < indices.length; k += 3) {
      const a = indices[k]! & 0xffff;
      const b = indices[k + 1]! & 0xffff;
      const c = indices[k + 2]! & 0xffff;
      const ax = points[2 * a]!;
      const ay = points[2 * a + 1]!;
      const area =
        (points[2 * b]! - ax) * (points[2 * c + 1]! - ay) - (points[2 * c]! - ax) * (points[2 * b + 1]! - ay);
      if (!(winding * area < 0)) continue;
      target[i++] = a + base;
      target[i++] = b + base;
      target[i++] = c + base;
    }
    return i - this.indexCount;
  }

  /**
   * As addAll or addFrontFaces, leaving out also the triangles that read only empty texels at the
   * mip levels their size on screen selects.
   */
  private addVisible(mesh: MeshDraw, transparency: MeshTransparency): number {
    const base = this.runVertices;
    const { indices, points, uvs, culling } = mesh;
    const { emptyUpTo, width, height } = transparency;
    const [xx, xy, yx, yy] = this.toScreen as [number, number, number, number];
    const target = this.indices;
    const winding = this.screenWinding;
    let i = this.indexCount;
    for (let k = 0, t = 0; k + 2 < indices.length; k += 3, t++) {
      const a = indices[k]! & 0xffff;
      const b = indices[k + 1]! & 0xffff;
      const c = indices[k + 2]! & 0xffff;
      const ax = points[2 * a]!;
      const ay = points[2 * a + 1]!;
      const bx = points[2 * b]!;
      const by = points[2 * b + 1]!;
      const cx = points[2 * c]!;
      const cy = points[2 * c + 1]!;
      if (culling) {
        const area = (bx - ax) * (cy - ay) - (cx - ax) * (by - ay);
        if (!(winding * area < 0)) continue;
      }
      const emptyLevel = emptyUpTo[t] ?? -1;
      if (emptyLevel >= 0) {
        const level = highestSampledLevel(
          xx * ax + xy * ay,
          yx * ax + yy * ay,
          xx * bx + xy * by,
          yx * bx + yy * by,
          xx * cx + xy * cy,
          yx * cx + yy * cy,
          uvs[2 * a]!,
          uvs[2 * a + 1]!,
          uvs[2 * b]!,
          uvs[2 * b + 1]!,
          uvs[2 * c]!,
          uvs[2 * c + 1]!,
          width,
          height,
        );
        if (level <= emptyLevel) {
          this.emptyTriangles++;
          continue;
        }
      }
      target[i++] = a + base;
      target[i++] = b + base;
      target[i++] = c + base;
    }
    return i - this.indexCount;
  }

  private reserve(vertices: number, indices: number): void {
    const needVertices = (this.vertexCount + vertices) * FLOATS_PER_VERTEX;
    if (needVertices > this.vertices.length) {
      const grown = new Float32Array(Math.max(needVertices, this.vertices.length * 2));
      grown.set(this.vertices.subarray(0, this.vertexCount * FLOATS_PER_VERTEX));
      this.vertices = grown;
    }
    const needIndices = this.indexCount + indices;
    if (needIndices > this.indices.length) {
      const grown = new Uint16Array(Math.max(needIndices, this.indices.length * 2));
      grown.set(this.indices.subarray(0, this.indexCount));
      this.indices = grown;
    }
  }
}
