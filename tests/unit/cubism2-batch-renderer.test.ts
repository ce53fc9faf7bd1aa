import { describe, expect, it } from 'vitest';
import { Cubism2BatchRenderer } from '../../src/renderer/src/avatar/cubism2-batch-renderer';

/**
 * The renderer's hand-over with a stand-in Cubism 2 core and a WebGL context that only records
 * its calls: what is batched, what goes to the core's own per-mesh draw, and in what order. The
 * pictures themselves are compared in Chromium (tests/browser/batch-renderer.spec.ts).
 */

/** A WebGL context that records draw calls and the core's own mesh draws, in order. */
function recordingGl(log: string[]): WebGLRenderingContext {
  let objects = 0;
  return new Proxy({} as Record<string | symbol, unknown>, {
    get(_target, name) {
      if (typeof name !== 'string') return undefined;
      if (/^[A-Z_0-9]+$/.test(name)) return name.length; // any distinct-ish constant will do
      if (name === 'isContextLost') return () => false;
      if (name === 'getShaderParameter' || name === 'getProgramParameter') return () => true;
      if (name.startsWith('create') || name === 'getUniformLocation') return () => ({ id: ++objects });
      if (name === 'drawElements')
        return (_mode: number, count: number) => log.push(`batch draw ${count / 3} triangles`);
      return () => undefined;
    },
  }) as unknown as WebGLRenderingContext;
}

interface Mesh {
  texture: number;
  blend?: number;
  clipped?: boolean;
  opacity?: number;
}

/** The core's DrawParamWebGL: its per-mesh draw lives on the prototype, as in live2d.min.js. */
class FakeDrawParam {
  textures = [{ tex: 0 }, { tex: 1 }];
  matrix4x4 = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  culling = false;
  clipBufPre_clipContextMask: unknown = null;
  clipDraw: unknown = null;
  _$C0 = 1;
  _$tT = 1;
  _$WL = 1;
  _$lT = 1;
  constructor(
    public gl: WebGLRenderingContext,
    private readonly log: string[],
  ) {}
  getClipBufPre_clipContextDraw(): unknown {
    return this.clipDraw;
  }
  // Eight parameters, as the real one: the renderer checks the arity before trusting the name.
  _$Uo(
    texture: number,
    _count: number,
    _indices: Int16Array,
    _points: Float32Array,
    _uvs: Float32Array,
    _opacity: number,
    blend: number,
    _context: unknown,
  ): void {
    this.log.push(`core draw texture ${texture} blend ${blend}`);
  }
}

class FakeCore {
  readonly drawParamWebGL: FakeDrawParam;
  constructor(
    gl: WebGLRenderingContext,
    log: string[],
    private readonly meshes: Mesh[],
  ) {
    this.drawParamWebGL = new FakeDrawParam(gl, log);
  }
  /** As the core's: each visible mesh in drawing order through the per-mesh draw. */
  draw(): void {
    const param = this.drawParamWebGL;
    for (const mesh of this.meshes) {
      param.clipDraw = mesh.clipped ? { clip: true } : null;
      param._$Uo(
        mesh.texture,
        3,
        Int16Array.from([0, 1, 2]),
        Float32Array.from([0, 0, 0, 1, 1, 0]),
        Float32Array.from([0, 0, 0, 1, 1, 0]),
        mesh.opacity ?? 1,
        mesh.blend ?? 0,
        {},
      );
    }
  }
}

function setup(meshes: Mesh[]) {
  const log: string[] = [];
  const warnings: string[] = [];
  const core = new FakeCore(recordingGl(log), log, meshes);
  const renderer = Cubism2BatchRenderer.attach(core, (m) => warnings.push(m));
  return { log, warnings, core, renderer };
}

describe('Cubism2BatchRenderer', () => {
  it('draws consecutive meshes of one texture with one call, the core drawing none of them', () => {
    const { log, core, renderer } = setup([{ texture: 0 }, { texture: 0 }, { texture: 0 }, { texture: 1 }]);
    expect(renderer).toBeDefined();
    core.draw();
    expect(log).toEqual(['batch draw 3 triangles', 'batch draw 1 triangles']);
    expect(renderer!.lastFrame).toEqual({
      batchedMeshes: 4,
      batchedDrawCalls: 2,
      coreMeshes: 0,
      emptyTriangles: 0,
    });
  });

  it('leaves out a mesh under 1 % opacity, as the core does', () => {
    const { log, core } = setup([{ texture: 0 }, { texture: 0, opacity: 0.005 }]);
    core.draw();
    expect(log).toEqual(['batch draw 1 triangles']);
  });

  it('hands a clipped mesh to the core in its place: what came before is drawn first, the rest after', () => {
    const { log, warnings, core, renderer } = setup([
      { texture: 0 },
      { texture: 1, clipped: true },
      { texture: 0 },
    ]);
    core.draw();
    expect(log).toEqual(['batch draw 1 triangles', 'core draw texture 1 blend 0', 'batch draw 1 triangles']);
    expect(renderer!.lastFrame).toEqual({
      batchedMeshes: 2,
      batchedDrawCalls: 2,
      coreMeshes: 1,
      emptyTriangles: 0,
    });
    core.draw();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/clips meshes with masks/);
  });

  it('hands a blend mode it does not know to the core, and says so once', () => {
    const { log, warnings, core } = setup([{ texture: 0 }, { texture: 0, blend: 7 }]);
    core.draw();
    core.draw();
    expect(log.slice(0, 2)).toEqual(['batch draw 1 triangles', 'core draw texture 0 blend 7']);
    expect(warnings).toEqual(['avatar: blend mode 7 is drawn by the Cubism 2 core one mesh at a time']);
  });

  it('when disabled, the core draws every mesh itself', () => {
    const { log, core, renderer } = setup([{ texture: 0 }, { texture: 0 }]);
    renderer!.enabled = false;
    core.draw();
    expect(log).toEqual(['core draw texture 0 blend 0', 'core draw texture 0 blend 0']);
    expect(renderer!.lastFrame).toEqual({
      batchedMeshes: 0,
      batchedDrawCalls: 0,
      coreMeshes: 2,
      emptyTriangles: 0,
    });
  });

  it('leaves a Cubism 4 model alone silently, and another Cubism 2 core build alone with one warning', () => {
    const warnings: string[] = [];
    expect(
      Cubism2BatchRenderer.attach({ getDrawableCount: () => 1 }, (m) => warnings.push(m)),
    ).toBeUndefined();
    expect(warnings).toEqual([]);
    const other = { draw() {}, drawParamWebGL: { textures: [], matrix4x4: new Float32Array(16) } };
    expect(Cubism2BatchRenderer.attach(other, (m) => warnings.push(m))).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });

  it('gives the model its own drawing back when destroyed', () => {
    const { log, core, renderer } = setup([{ texture: 0 }]);
    expect(Object.prototype.hasOwnProperty.call(core, 'draw')).toBe(true);
    renderer!.destroy();
    expect(Object.prototype.hasOwnProperty.call(core, 'draw')).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(core.drawParamWebGL, '_$Uo')).toBe(false);
    core.draw();
    expect(log).toEqual(['core draw texture 0 blend 0']);
  });
});
