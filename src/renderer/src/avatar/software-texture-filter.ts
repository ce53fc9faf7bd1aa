/**
 * In software GL, the avatar's textures are read from the nearest mipmap level
 * (LINEAR_MIPMAP_NEAREST) instead of blended from the two nearest (LINEAR_MIPMAP_LINEAR, pixi's
 * choice for mipmapped textures). On a GPU nothing changes.
 *
 * Why: in SwiftShader (Chromium without a usable GPU, OBS on such a machine, the benchmarks) the
 * texture reads are about half of what a drawn frame of the bundled model costs: measured at
 * 400×600, 5.3 % of a core per drawn frame per second with trilinear filtering, 2.6 % with no
 * texture read at all, 3.9 % with the nearest level (and 4.3 % with no mipmaps, which reads the
 * 1024² textures sparsely). One bilinear read per fragment instead of two saves about a quarter.
 *
 * What it costs on screen: the avatar keeps one size on screen, so each triangle reads one mipmap
 * level either way, give or take the blend; measured on the bundled model, the picture differs by
 * 2.3 of 255 on average over the pixels it covers, and a little sharper rather than blurrier. A GPU
 * pays nothing for the blend, so there the picture stays exactly as pixi draws it.
 */

/** WebGL renderer names of the CPU implementations: SwiftShader, Mesa's llvmpipe/softpipe, WARP. */
const SOFTWARE_RENDERER = /SwiftShader|llvmpipe|softpipe|Software Rasterizer|Microsoft Basic Render/i;

/** The GL implementation's own name (Chromium masks `RENDERER`; the debug extension does not). */
export function rendererName(gl: WebGLRenderingContext): string | undefined {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name: unknown = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : undefined;
  return typeof name === 'string' ? name : undefined;
}

/** True when `name` is a CPU implementation of WebGL; an unknown name counts as a GPU. */
export function isSoftwareRenderer(name: string | undefined): boolean {
  return name !== undefined && SOFTWARE_RENDERER.test(name);
}

/**
 * Switches textures to the nearest mipmap level, once each, when WebGL runs in software. Only
 * textures pixi gave trilinear filtering change: one without mipmaps (a texture whose sides are not
 * powers of two, in WebGL 1) keeps its filter, as it has no level to choose from.
 */
export class SoftwareTextureFilter {
  private readonly seen = new WeakSet<WebGLTexture>();
  private changedCount = 0;

  constructor(
    /** The context whose renderer was checked. */
    readonly gl: WebGLRenderingContext,
    readonly software: boolean,
  ) {}

  static for(gl: WebGLRenderingContext): SoftwareTextureFilter {
    return new SoftwareTextureFilter(gl, isSoftwareRenderer(rendererName(gl)));
  }

  /** Textures switched so far (the debug hook; tests). */
  get changed(): number {
    return this.changedCount;
  }

  /**
   * Applies the filter to each texture not seen before (undefined: not uploaded yet, tried again on
   * a later call). The texture bound to the active unit is bound again afterwards, so the library
   * that tracks bindings (pixi) finds the state it left.
   */
  apply(textures: readonly (WebGLTexture | null | undefined)[]): void {
    if (!this.software) return;
    const gl = this.gl;
    let bound: WebGLTexture | null | undefined;
    for (const texture of textures) {
      if (!texture || this.seen.has(texture)) continue;
      this.seen.add(texture);
      if (bound === undefined) bound = gl.getParameter(gl.TEXTURE_BINDING_2D) as WebGLTexture | null;
      gl.bindTexture(gl.TEXTURE_2D, texture);
      if (gl.getTexParameter(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER) === gl.LINEAR_MIPMAP_LINEAR) {
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR_MIPMAP_NEAREST);
        this.changedCount++;
      }
    }
    if (bound !== undefined) gl.bindTexture(gl.TEXTURE_2D, bound);
  }
}
