import {
  BLEND_ADDITIVE,
  BLEND_MULTIPLY,
  DrawBatch,
  FLOATS_PER_VERTEX,
  isBlendMode,
  MAX_RUN_VERTICES,
  type BlendMode,
  type DrawRun,
} from './draw-batch';
import { EmptyTriangles, type TextureSize } from './empty-triangles';
import { FillCounter, type FillCount } from './fill-count';

/**
 * Draws a Cubism 2 model with a few dozen draw calls a frame instead of one per mesh.
 *
 * Why: the Cubism 2 core (live2dcubism2core.min.js) draws each of a model's meshes on its own —
 * the bundled Shizuku has about 108 — uploading its vertices, UVs and indices into three WebGL
 * buffers, then binding its texture, setting its uniforms, culling and blend mode and calling
 * drawElements. In software GL (Chromium's SwiftShader: OBS without a GPU, the benchmarks) each of
 * those costs CPU in the GPU process beyond the pixels it fills.
 *
 * How: the core still decides everything — which meshes show, in what order, with what opacity
 * (mesh × part × model), texture, blend mode and culling. Its per-mesh draw (DrawParamWebGL's
 * `_$Uo`, a minified name fixed by the bundled core) is replaced on this model's instance by one
 * that only records those arguments into a DrawBatch; when the core's draw returns, the batch goes
 * to the GPU with one upload and one drawElements per run of meshes sharing texture and blend mode
 * (the bundled model: ~33 runs, its four textures alternate down the drawing order). Culling is
 * done on the CPU (DrawBatch), so it does not split runs. The shader does what the core's does
 * (position by the core's matrix; texture colour × the core's base colour × opacity, premultiplied
 * alpha) and the blend functions are the core's, so the picture is the same
 * (tests/browser/batch-renderer.spec.ts compares pixels).
 *
 * Triangles that would sample only fully transparent texels are left out of the batch (the picture
 * is the same; see empty-triangles.ts): the bundled model's meshes reach well beyond what their
 * textures draw, and in software GL every fragment costs.
 *
 * Tried and dropped: all textures on separate units in one draw call, the shader picking one per
 * vertex. GLSL ES 1.0 can only pick by a chain of branches, SwiftShader paid for them on every
 * fragment, and the one big draw ran no cheaper than the core's 108 (short noisy runs).
 *
 * What it does not reproduce goes to the core's own draw, in order (the batch so far is drawn
 * first): meshes inside a clipping mask or drawn as one, and blend modes it does not know. Each is
 * logged once per model. A core without the expected members is left alone (logged once).
 */

/** The members of the Cubism 2 core's DrawParamWebGL this relies on (live2d.min.js has no types). */
interface Cubism2DrawParam {
  gl: WebGLRenderingContext | null;
  textures: (WebGLTexture | null)[];
  /** The model-view-projection matrix the core's shader gets (set by setMatrix before draw). */
  matrix4x4: Float32Array;
  /** Face culling for the mesh being drawn (pixi-live2d-display may force it off). */
  culling: boolean;
  clipBufPre_clipContextMask: unknown;
  getClipBufPre_clipContextDraw(): unknown;
  /** The model's base colour: red, green, blue, alpha (setBaseColor). */
  _$C0: number;
  _$tT: number;
  _$WL: number;
  _$lT: number;
  /** Draws one mesh: texture, index count, indices, points, uvs, opacity, blend mode, context. */
  _$Uo: MeshDrawCall;
}
type MeshDrawCall = (
  this: Cubism2DrawParam,
  texture: number,
  indexCount: number,
  indices: Int16Array,
  points: Float32Array,
  uvs: Float32Array,
  opacity: number,
  blend: number,
  context: unknown,
) => void;

interface Cubism2WebGLModel {
  drawParamWebGL: Cubism2DrawParam;
  draw(): void;
}

/** A frame's fill drawn with every triangle and as shown (empty triangles left out). */
export interface FillComparison {
  everyTriangle: FillCount;
  shown: FillCount;
}

/** Per-frame figures, for the debug hook and the tests. */
export interface BatchFrameStats {
  /** Meshes the batch drew, and the draw calls it needed for them. */
  batchedMeshes: number;
  batchedDrawCalls: number;
  /** Meshes handed to the core's own draw (clipping, unknown blend modes). */
  coreMeshes: number;
  /** Triangles left out because they would sample only fully transparent texels. */
  emptyTriangles: number;
}

type Log = (message: string) => void;
/** The level-0 size of the model's texture `index` (the page's texture objects know it). */
type TextureSizes = (index: number) => TextureSize | undefined;
const NO_FRAME: BatchFrameStats = { batchedMeshes: 0, batchedDrawCalls: 0, coreMeshes: 0, emptyTriangles: 0 };

const VERTEX_SHADER = `
attribute vec2 a_position;
attribute vec2 a_texCoord;
attribute float a_opacity;
uniform mat4 u_mvpMatrix;
varying vec2 v_texCoord;
varying float v_opacity;
void main() {
  gl_Position = u_mvpMatrix * vec4(a_position, 0.0, 1.0);
  v_texCoord = a_texCoord;
  v_opacity = a_opacity;
}`;

// As the core's: texture × (base colour × opacity); the textures hold premultiplied alpha.
const FRAGMENT_SHADER = `
precision mediump float;
uniform sampler2D s_texture0;
uniform vec4 u_baseColor;
varying vec2 v_texCoord;
varying float v_opacity;
void main() {
  gl_FragColor = texture2D(s_texture0, v_texCoord) * (u_baseColor * v_opacity);
}`;

const A_POSITION = 0;
const A_TEX_COORD = 1;
const A_OPACITY = 2;
const STRIDE = FLOATS_PER_VERTEX * 4;
/** The core draws with its textures on unit 1; so does the batch, leaving the same state behind. */
const TEXTURE_UNIT = 1;

interface GlResources {
  gl: WebGLRenderingContext;
  program: WebGLProgram;
  vertexBuffer: WebGLBuffer;
  indexBuffer: WebGLBuffer;
  mvp: WebGLUniformLocation | null;
  baseColor: WebGLUniformLocation | null;
  sampler: WebGLUniformLocation | null;
}

export class Cubism2BatchRenderer {
  /** Off: the core draws every mesh itself, as before (the pixel comparison uses this). */
  enabled = true;
  /** Off: every triangle is drawn, transparent or not (benchmarks compare both ways). */
  dropEmptyTriangles = true;
  private readonly empty: EmptyTriangles;
  private readonly batch = new DrawBatch();
  private recording = false;
  private resources: GlResources | undefined;
  private readonly logged = new Set<string>();
  private frame: BatchFrameStats = { ...NO_FRAME };
  private counting: BatchFrameStats = { ...NO_FRAME };
  private readonly restore: () => void;
  /** Set while `countFill` renders a frame: the batch's runs are replayed into a counting pass. */
  private fillCounter: FillCounter | undefined;

  /**
   * Takes over the drawing of `coreModel` when it is a Cubism 2 WebGL model this renderer knows;
   * otherwise (Cubism 4, another core build) returns undefined and the model draws as before.
   * `textureSizes`: without it no triangle is left out as transparent (the texture cannot be read).
   */
  static attach(
    coreModel: unknown,
    log: Log = (m) => console.warn(m),
    textureSizes: TextureSizes = () => undefined,
  ): Cubism2BatchRenderer | undefined {
    const core = coreModel as Partial<Cubism2WebGLModel> | null | undefined;
    const param = core?.drawParamWebGL as Partial<Cubism2DrawParam> | undefined;
    if (!core || typeof core.draw !== 'function' || !param) return undefined; // not Cubism 2
    if (
      typeof param._$Uo !== 'function' ||
      param._$Uo.length !== 8 ||
      !(param.matrix4x4 instanceof Float32Array) ||
      !Array.isArray(param.textures) ||
      typeof param.getClipBufPre_clipContextDraw !== 'function'
    ) {
      log('avatar: this Cubism 2 core is not the one the batched renderer knows; it draws each mesh itself');
      return undefined;
    }
    return new Cubism2BatchRenderer(core as Cubism2WebGLModel, log, textureSizes);
  }

  private constructor(
    core: Cubism2WebGLModel,
    private readonly log: Log,
    textureSizes: TextureSizes,
  ) {
    this.empty = new EmptyTriangles((m) => this.logOnce(m));
    const param = core.drawParamWebGL;
    const coreDraw = core.draw;
    const coreMeshDraw = param._$Uo;
    const ownDraw = Object.prototype.hasOwnProperty.call(core, 'draw');
    const ownMeshDraw = Object.prototype.hasOwnProperty.call(param, '_$Uo');
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the core calls these with its own `this`
    const self = this;
    // Own properties on this model's instances: other models keep the core's prototype methods.
    core.draw = function (this: Cubism2WebGLModel) {
      self.beginFrame();
      if (!self.enabled) {
        coreDraw.call(this);
        return self.endFrame();
      }
      self.recording = true;
      self.batch.reset(param.matrix4x4, self.dropEmptyTriangles ? viewportOf(param.gl) : undefined);
      try {
        coreDraw.call(this);
        self.flush(param);
      } finally {
        self.recording = false;
        self.batch.reset();
        self.endFrame();
      }
    };
    param._$Uo = function (
      this: Cubism2DrawParam,
      texture,
      indexCount,
      indices,
      points,
      uvs,
      opacity,
      blend,
      context,
    ) {
      const reason = self.recording ? self.unbatchable(this, blend, points) : undefined;
      if (!self.recording || reason) {
        // Clipping masks are drawn in the core's update (outside draw); those pass straight on.
        if (reason) {
          self.flush(this);
          self.logOnce(reason);
        }
        if (self.recording || !self.enabled) self.counting.coreMeshes++;
        coreMeshDraw.call(this, texture, indexCount, indices, points, uvs, opacity, blend, context);
        return;
      }
      self.batch.add({
        texture,
        blend: blend as BlendMode,
        culling: Boolean(this.culling),
        points,
        uvs,
        indices,
        opacity,
        transparency:
          self.dropEmptyTriangles && this.gl
            ? self.empty.forMesh(this.gl, this.textures[texture], textureSizes(texture), indices, uvs)
            : undefined,
      });
    };
    this.restore = () => {
      if (ownDraw) core.draw = coreDraw;
      else delete (core as Partial<Cubism2WebGLModel>).draw;
      if (ownMeshDraw) param._$Uo = coreMeshDraw;
      else delete (param as Partial<Cubism2DrawParam>)._$Uo;
    };
  }

  /** The last frame drawn: meshes and draw calls. */
  get lastFrame(): BatchFrameStats {
    return { ...this.frame };
  }

  /**
   * Renders the current pose twice (`render`: the page's render, which only draws) and counts the
   * fragments the batch filled (fill-count.ts): with every triangle, then leaving out the empty
   * ones as on screen. Undefined when the count could not be set up. The canvas ends up showing
   * the same picture as before.
   */
  countFill(gl: WebGLRenderingContext, render: () => void): FillComparison | undefined {
    const counter = new FillCounter(gl);
    const wasDropping = this.dropEmptyTriangles;
    const count = (drop: boolean) => {
      this.dropEmptyTriangles = drop;
      if (!counter.begin()) return undefined;
      render();
      return counter.finish();
    };
    try {
      this.fillCounter = counter;
      const everyTriangle = count(false);
      const shown = count(wasDropping);
      return everyTriangle && shown ? { everyTriangle, shown } : undefined;
    } finally {
      this.fillCounter = undefined;
      this.dropEmptyTriangles = wasDropping;
      counter.destroy();
    }
  }

  /** Gives the model its own drawing back and frees the GPU buffers. */
  destroy(): void {
    this.restore();
    const r = this.resources;
    this.resources = undefined;
    if (r && !r.gl.isContextLost()) {
      r.gl.deleteProgram(r.program);
      r.gl.deleteBuffer(r.vertexBuffer);
      r.gl.deleteBuffer(r.indexBuffer);
    }
  }

  private beginFrame(): void {
    this.counting = { ...NO_FRAME };
  }

  private endFrame(): void {
    this.frame = this.counting;
  }

  /** Why this mesh must go to the core's own draw, or undefined when the batch reproduces it. */
  private unbatchable(param: Cubism2DrawParam, blend: number, points: Float32Array): string | undefined {
    if (param.clipBufPre_clipContextMask != null || param.getClipBufPre_clipContextDraw() != null) {
      return 'avatar: this model clips meshes with masks; those meshes are drawn by the Cubism 2 core one by one';
    }
    if (!isBlendMode(blend)) {
      return `avatar: blend mode ${blend} is drawn by the Cubism 2 core one mesh at a time`;
    }
    if (points.length > 2 * MAX_RUN_VERTICES) {
      return 'avatar: a mesh too large for 16-bit indices is drawn by the Cubism 2 core';
    }
    return undefined;
  }

  private logOnce(message: string): void {
    if (this.logged.has(message)) return;
    this.logged.add(message);
    this.log(message);
  }

  /** Draws what the batch holds, then empties it. */
  private flush(param: Cubism2DrawParam): void {
    const batch = this.batch;
    if (batch.runs.length === 0) return;
    const gl = param.gl;
    const r = gl && this.glResources(gl);
    if (!gl || !r) {
      batch.reset();
      return;
    }
    gl.useProgram(r.program);
    gl.uniformMatrix4fv(r.mvp, false, param.matrix4x4);
    gl.uniform4f(r.baseColor, param._$C0, param._$tT, param._$WL, param._$lT);
    gl.uniform1i(r.sampler, TEXTURE_UNIT);
    gl.bindBuffer(gl.ARRAY_BUFFER, r.vertexBuffer);
    gl.bufferData(
      gl.ARRAY_BUFFER,
      batch.vertices.subarray(0, batch.vertexCount * FLOATS_PER_VERTEX),
      gl.STREAM_DRAW,
    );
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, r.indexBuffer);
    gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, batch.indices.subarray(0, batch.indexCount), gl.STREAM_DRAW);
    gl.enableVertexAttribArray(A_POSITION);
    gl.enableVertexAttribArray(A_TEX_COORD);
    gl.enableVertexAttribArray(A_OPACITY);
    // Culled triangles were left out of the batch (DrawBatch), so the GPU culls nothing.
    gl.disable(gl.CULL_FACE);
    gl.enable(gl.BLEND);
    gl.blendEquationSeparate(gl.FUNC_ADD, gl.FUNC_ADD);
    gl.activeTexture(gl.TEXTURE0 + TEXTURE_UNIT);

    let pointedAt = -1;
    let blend: BlendMode | undefined;
    let texture: WebGLTexture | null | undefined;
    for (const run of batch.runs) {
      if (run.firstVertex !== pointedAt) {
        pointAttributes(gl, run.firstVertex);
        pointedAt = run.firstVertex;
      }
      const runTexture = param.textures[run.texture] ?? null;
      if (runTexture !== texture) {
        gl.bindTexture(gl.TEXTURE_2D, runTexture);
        texture = runTexture;
      }
      if (run.blend !== blend) {
        setBlend(gl, run.blend);
        blend = run.blend;
      }
      drawRun(gl, run);
      this.counting.batchedDrawCalls++;
    }
    this.counting.batchedMeshes += batch.meshes;
    this.counting.emptyTriangles += batch.emptyTriangles;
    this.fillCounter?.count(
      param.matrix4x4,
      batch.runs.map((run) => ({
        texture: param.textures[run.texture] ?? null,
        point: () => pointAttributes(gl, run.firstVertex),
        firstIndex: run.firstIndex,
        indexCount: run.indexCount,
      })),
      r.program,
    );
    // As the core leaves its texture unit: nothing bound (pixi re-binds what it needs after).
    gl.bindTexture(gl.TEXTURE_2D, null);
    // The core's program reads attributes 0 and 1 only; leave no stray array enabled for it.
    gl.disableVertexAttribArray(A_OPACITY);
    batch.reset();
  }

  private glResources(gl: WebGLRenderingContext): GlResources | undefined {
    // A new context (after a loss, or a new renderer): the old objects died with the old one.
    if (this.resources?.gl === gl) return this.resources;
    this.resources = undefined;
    const program = linkProgram(gl);
    const vertexBuffer = gl.createBuffer();
    const indexBuffer = gl.createBuffer();
    if (!program || !vertexBuffer || !indexBuffer) {
      this.logOnce('avatar: the batched renderer could not set up WebGL; the model draws each mesh itself');
      this.enabled = false;
      return undefined;
    }
    this.resources = {
      gl,
      program,
      vertexBuffer,
      indexBuffer,
      mvp: gl.getUniformLocation(program, 'u_mvpMatrix'),
      baseColor: gl.getUniformLocation(program, 'u_baseColor'),
      sampler: gl.getUniformLocation(program, 's_texture0'),
    };
    return this.resources;
  }
}

/** The viewport the core's matrix maps clip space onto (undefined when WebGL does not say). */
function viewportOf(gl: WebGLRenderingContext | null): { width: number; height: number } | undefined {
  const viewport = gl?.getParameter(gl.VIEWPORT) as Int32Array | null | undefined;
  if (!viewport || viewport.length < 4) return undefined;
  return { width: viewport[2]!, height: viewport[3]! };
}

function pointAttributes(gl: WebGLRenderingContext, firstVertex: number): void {
  const offset = firstVertex * STRIDE;
  gl.vertexAttribPointer(A_POSITION, 2, gl.FLOAT, false, STRIDE, offset);
  gl.vertexAttribPointer(A_TEX_COORD, 2, gl.FLOAT, false, STRIDE, offset + 8);
  gl.vertexAttribPointer(A_OPACITY, 1, gl.FLOAT, false, STRIDE, offset + 16);
}

function drawRun(gl: WebGLRenderingContext, run: DrawRun): void {
  gl.drawElements(gl.TRIANGLES, run.indexCount, gl.UNSIGNED_SHORT, run.firstIndex * 2);
}

/** The core's blend functions, premultiplied alpha, for each of its blend modes. */
function setBlend(gl: WebGLRenderingContext, blend: BlendMode): void {
  if (blend === BLEND_ADDITIVE) gl.blendFuncSeparate(gl.ONE, gl.ONE, gl.ZERO, gl.ONE);
  else if (blend === BLEND_MULTIPLY)
    gl.blendFuncSeparate(gl.DST_COLOR, gl.ONE_MINUS_SRC_ALPHA, gl.ZERO, gl.ONE);
  else gl.blendFuncSeparate(gl.ONE, gl.ONE_MINUS_SRC_ALPHA, gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
}

function linkProgram(gl: WebGLRenderingContext): WebGLProgram | null {
  const vertex = compile(gl, gl.VERTEX_SHADER, VERTEX_SHADER);
  const fragment = compile(gl, gl.FRAGMENT_SHADER, FRAGMENT_SHADER);
  const program = gl.createProgram();
  if (!vertex || !fragment || !program) return null;
  gl.attachShader(program, vertex);
  gl.attachShader(program, fragment);
  gl.bindAttribLocation(program, A_POSITION, 'a_position');
  gl.bindAttribLocation(program, A_TEX_COORD, 'a_texCoord');
  gl.bindAttribLocation(program, A_OPACITY, 'a_opacity');
  gl.linkProgram(program);
  gl.deleteShader(vertex);
  gl.deleteShader(fragment);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) {
    gl.deleteProgram(program);
    return null;
  }
  return program;
}

function compile(gl: WebGLRenderingContext, type: number, source: string): WebGLShader | null {
  const shader = gl.createShader(type);
  if (!shader) return null;
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) {
    gl.deleteShader(shader);
    return null;
  }
  return shader;
}
