/**
 * Counts the fragments a batched frame makes the GPU fill: the measure of what a frame costs in
 * software GL (SwiftShader), where the time goes mostly into shading and blending pixels, not into
 * draw calls. Debug only (the `countFill` hook, the benchmark): it draws the frame's runs a second
 * time, into a framebuffer of its own, with a shader that adds 1/255 per fragment — to the red
 * channel when the texel it samples is fully transparent (the fragment leaves the picture as it
 * was: a premultiplied zero under any of the core's blend modes), to green otherwise. Summed:
 * fragments filled for nothing, fragments that drew something, and the pixels anything covered.
 */

/** A frame's fill, in device pixels. */
export interface FillCount {
  /** Fragments whose texel was fully transparent (0, 0, 0, 0): work that changed nothing. */
  emptyFragments: number;
  /** Fragments that sampled a texel with something in it. */
  drawingFragments: number;
  /** Pixels at least one drawing fragment covered. */
  coveredPixels: number;
}

/** One draw call of the batch, as the counter replays it. */
export interface CountedRun {
  texture: WebGLTexture | null;
  /** Sets the vertex attribute pointers for this run (the batch's layout, attributes 0 – 2). */
  point(): void;
  firstIndex: number;
  indexCount: number;
}

const VERTEX_SHADER = `
attribute vec2 a_position;
attribute vec2 a_texCoord;
uniform mat4 u_mvpMatrix;
varying vec2 v_texCoord;
void main() {
  gl_Position = u_mvpMatrix * vec4(a_position, 0.0, 1.0);
  v_texCoord = a_texCoord;
}`;

// The same texture lookup as the drawing shader, so the same mip level and the same texels.
const FRAGMENT_SHADER = `
precision mediump float;
uniform sampler2D s_texture0;
varying vec2 v_texCoord;
void main() {
  vec4 c = texture2D(s_texture0, v_texCoord);
  float empty = c == vec4(0.0) ? 1.0 : 0.0;
  gl_FragColor = vec4(empty, 1.0 - empty, 0.0, 0.0) / 255.0;
}`;

export class FillCounter {
  private program: WebGLProgram | null = null;
  private mvp: WebGLUniformLocation | null = null;
  private sampler: WebGLUniformLocation | null = null;
  private target:
    { framebuffer: WebGLFramebuffer; texture: WebGLTexture; width: number; height: number } | undefined;
  private pending = { emptyFragments: 0, drawingFragments: 0 };
  private passes = 0;

  constructor(private readonly gl: WebGLRenderingContext) {}

  /** Empties the counting framebuffer for a new frame. */
  begin(): boolean {
    const gl = this.gl;
    const width = gl.drawingBufferWidth;
    const height = gl.drawingBufferHeight;
    if (!this.setUp(width, height)) return false;
    const previous = gl.getParameter(gl.FRAMEBUFFER_BINDING) as WebGLFramebuffer | null;
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.target!.framebuffer);
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.bindFramebuffer(gl.FRAMEBUFFER, previous);
    this.pending = { emptyFragments: 0, drawingFragments: 0 };
    this.passes = 0;
    return true;
  }

  /**
   * Replays `runs` into the counting framebuffer, with the batch's buffers bound and the frame's
   * matrix; the caller's framebuffer, program and blend state are restored after, as far as the
   * batch relies on them.
   */
  count(matrix: Float32Array, runs: CountedRun[], restoreProgram: WebGLProgram): void {
    const gl = this.gl;
    const target = this.target;
    if (!target || !this.program) return;
    const previous = gl.getParameter(gl.FRAMEBUFFER_BINDING) as WebGLFramebuffer | null;
    gl.bindFramebuffer(gl.FRAMEBUFFER, target.framebuffer);
    gl.useProgram(this.program);
    gl.uniformMatrix4fv(this.mvp, false, matrix);
    gl.uniform1i(this.sampler, gl.getParameter(gl.ACTIVE_TEXTURE) - gl.TEXTURE0);
    gl.blendFuncSeparate(gl.ONE, gl.ONE, gl.ONE, gl.ONE);
    for (const run of runs) {
      run.point();
      gl.bindTexture(gl.TEXTURE_2D, run.texture);
      gl.drawElements(gl.TRIANGLES, run.indexCount, gl.UNSIGNED_SHORT, run.firstIndex * 2);
    }
    gl.bindFramebuffer(gl.FRAMEBUFFER, previous);
    gl.useProgram(restoreProgram);
    this.passes++;
  }

  /** Reads the frame's counts back (undefined when nothing was counted). */
  finish(): FillCount | undefined {
    const gl = this.gl;
    const target = this.target;
    if (!target || this.passes === 0) return undefined;
    const pixels = new Uint8Array(target.width * target.height * 4);
    const previous = gl.getParameter(gl.FRAMEBUFFER_BINDING) as WebGLFramebuffer | null;
    gl.bindFramebuffer(gl.FRAMEBUFFER, target.framebuffer);
    gl.readPixels(0, 0, target.width, target.height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
    gl.bindFramebuffer(gl.FRAMEBUFFER, previous);
    let emptyFragments = 0;
    let drawingFragments = 0;
    let coveredPixels = 0;
    for (let p = 0; p < pixels.length; p += 4) {
      emptyFragments += pixels[p]!;
      drawingFragments += pixels[p + 1]!;
      if (pixels[p + 1]! > 0) coveredPixels++;
    }
    return { emptyFragments, drawingFragments, coveredPixels };
  }

  destroy(): void {
    const gl = this.gl;
    if (gl.isContextLost()) return;
    if (this.program) gl.deleteProgram(this.program);
    if (this.target) {
      gl.deleteFramebuffer(this.target.framebuffer);
      gl.deleteTexture(this.target.texture);
    }
  }

  private setUp(width: number, height: number): boolean {
    const gl = this.gl;
    if (!this.program) {
      this.program = linkCountingProgram(gl);
      if (!this.program) return false;
      this.mvp = gl.getUniformLocation(this.program, 'u_mvpMatrix');
      this.sampler = gl.getUniformLocation(this.program, 's_texture0');
    }
    if (this.target && this.target.width === width && this.target.height === height) return true;
    if (this.target) {
      gl.deleteFramebuffer(this.target.framebuffer);
      gl.deleteTexture(this.target.texture);
      this.target = undefined;
    }
    const framebuffer = gl.createFramebuffer();
    const texture = gl.createTexture();
    if (!framebuffer || !texture) return false;
    const unit = gl.getParameter(gl.ACTIVE_TEXTURE) as number;
    const bound = gl.getParameter(gl.TEXTURE_BINDING_2D) as WebGLTexture | null;
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, width, height, 0, gl.RGBA, gl.UNSIGNED_BYTE, null);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.activeTexture(unit);
    gl.bindTexture(gl.TEXTURE_2D, bound);
    const previous = gl.getParameter(gl.FRAMEBUFFER_BINDING) as WebGLFramebuffer | null;
    gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
    const complete = gl.checkFramebufferStatus(gl.FRAMEBUFFER) === gl.FRAMEBUFFER_COMPLETE;
    gl.bindFramebuffer(gl.FRAMEBUFFER, previous);
    if (!complete) {
      gl.deleteFramebuffer(framebuffer);
      gl.deleteTexture(texture);
      return false;
    }
    this.target = { framebuffer, texture, width, height };
    return true;
  }
}

function linkCountingProgram(gl: WebGLRenderingContext): WebGLProgram | null {
  const program = gl.createProgram();
  const shaders = [
    [gl.VERTEX_SHADER, VERTEX_SHADER],
    [gl.FRAGMENT_SHADER, FRAGMENT_SHADER],
  ] as const;
  if (!program) return null;
  for (const [type, source] of shaders) {
    const shader = gl.createShader(type);
    if (!shader) return null;
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    gl.attachShader(program, shader);
    gl.deleteShader(shader);
  }
  // The batch's attribute numbers, so its pointers serve both programs.
  gl.bindAttribLocation(program, 0, 'a_position');
  gl.bindAttribLocation(program, 1, 'a_texCoord');
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) {
    gl.deleteProgram(program);
    return null;
  }
  return program;
}
