import { TexelOccupancy } from './texel-occupancy';
import { emptyUpToLevel } from './triangle-footprint';

/**
 * For each mesh of a model, which of its triangles sample only fully transparent texels, and up
 * to which mip level (triangle-footprint.ts): the batch leaves those out of a frame when they are
 * drawn small enough not to reach a higher level (draw-batch.ts), so the GPU does not fill them.
 * In the bundled model about 40 % of the fragments a frame filled sampled (0, 0, 0, 0) — mesh
 * outlines drawn around hair strands, eyelashes and clothes edges with room to deform.
 *
 * Each texture is read back from WebGL once (its level 0, exactly as the shader samples it:
 * after upload, premultiplication and any flip), turned into a TexelOccupancy, and the bytes are
 * dropped. Each mesh's answer is computed the first time the mesh is drawn and kept as long as
 * its index array lives (the core's mesh data: the same arrays every frame); texture
 * coordinates of Cubism 2 meshes never change, and a different array or texture recomputes it.
 */

/** A texture's level-0 size, as the page knows it (WebGL 1 and 2 cannot be asked). */
export interface TextureSize {
  width: number;
  height: number;
}

/** What the batch needs for one mesh. */
export interface MeshTransparency {
  /** Per triangle: the highest mip level at which it reads only empty texels; -1: never empty. */
  emptyUpTo: Int8Array;
  /** The texture's level-0 size in texels, for the level of detail on screen. */
  width: number;
  height: number;
}

interface Cached {
  uvs: ArrayLike<number>;
  texture: WebGLTexture;
  /** Undefined: no triangle of this mesh is ever empty. */
  transparency: MeshTransparency | undefined;
}

type Log = (message: string) => void;

export class EmptyTriangles {
  private readonly textures = new WeakMap<WebGLTexture, TexelOccupancy | null>();
  private readonly meshes = new WeakMap<object, Cached>();

  constructor(private readonly log: Log) {}

  /**
   * The mesh's empty triangles, or undefined when none can be left out (or the texture could not
   * be read: then everything is drawn, as before).
   */
  forMesh(
    gl: WebGLRenderingContext,
    texture: WebGLTexture | null | undefined,
    size: TextureSize | undefined,
    indices: ArrayLike<number> & object,
    uvs: ArrayLike<number>,
  ): MeshTransparency | undefined {
    if (!texture || !size) return undefined;
    const cached = this.meshes.get(indices);
    if (cached && cached.uvs === uvs && cached.texture === texture) return cached.transparency;
    const occupancy = this.occupancy(gl, texture, size);
    const transparency = occupancy ? meshTransparency(occupancy, indices, uvs, size) : undefined;
    this.meshes.set(indices, { uvs, texture, transparency });
    return transparency;
  }

  private occupancy(
    gl: WebGLRenderingContext,
    texture: WebGLTexture,
    size: TextureSize,
  ): TexelOccupancy | null {
    let occupancy = this.textures.get(texture);
    if (occupancy !== undefined) return occupancy;
    const texels = readTexture(gl, texture, size);
    occupancy = texels ? new TexelOccupancy(texels, size.width, size.height) : null;
    if (!occupancy)
      this.log('avatar: a model texture could not be read back; its transparent triangles are drawn');
    this.textures.set(texture, occupancy);
    return occupancy;
  }
}

function meshTransparency(
  occupancy: TexelOccupancy,
  indices: ArrayLike<number>,
  uvs: ArrayLike<number>,
  size: TextureSize,
): MeshTransparency | undefined {
  const triangles = Math.floor(indices.length / 3);
  const emptyUpTo = new Int8Array(triangles);
  let any = false;
  for (let t = 0; t < triangles; t++) {
    // The core's indices are Int16 read as unsigned, as in draw-batch.ts.
    const a = (indices[3 * t]! & 0xffff) * 2;
    const b = (indices[3 * t + 1]! & 0xffff) * 2;
    const c = (indices[3 * t + 2]! & 0xffff) * 2;
    const level = emptyUpToLevel(occupancy, uvs[a]!, uvs[a + 1]!, uvs[b]!, uvs[b + 1]!, uvs[c]!, uvs[c + 1]!);
    emptyUpTo[t] = Math.min(127, level);
    if (level >= 0) any = true;
  }
  return any ? { emptyUpTo, width: size.width, height: size.height } : undefined;
}

/** The texture's level 0 as RGBA bytes, row 0 at t = 0; undefined when WebGL cannot read it. */
function readTexture(
  gl: WebGLRenderingContext,
  texture: WebGLTexture,
  size: TextureSize,
): Uint8Array | undefined {
  const { width, height } = size;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) return undefined;
  const framebuffer = gl.createFramebuffer();
  if (!framebuffer) return undefined;
  const previous = gl.getParameter(gl.FRAMEBUFFER_BINDING) as WebGLFramebuffer | null;
  try {
    gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
    if (gl.checkFramebufferStatus(gl.FRAMEBUFFER) !== gl.FRAMEBUFFER_COMPLETE) return undefined;
    const texels = new Uint8Array(width * height * 4);
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, texels);
    return gl.getError() === gl.NO_ERROR ? texels : undefined;
  } finally {
    gl.bindFramebuffer(gl.FRAMEBUFFER, previous);
    gl.deleteFramebuffer(framebuffer);
  }
}
