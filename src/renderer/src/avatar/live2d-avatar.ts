import { watchContextLoss, type ContextLossWatch } from './context-loss';
import { RENDER_SCALE_MAX, RENDER_SCALE_MIN } from '../../../shared/ipc';
import { Cubism2BatchRenderer, type BatchFrameStats, type FillComparison } from './cubism2-batch-renderer';
import { ModelPoseReader } from './model-pose';
import { PIXI } from './pixi-global';
import { IDLE_REDRAW_THRESHOLD_PX, REDRAW_THRESHOLD_PX, RedrawGate } from './redraw-gate';
import { checkRenderers, type RendererCheck } from './renderer-check';
import { SoftwareTextureFilter } from './software-texture-filter';
import { SpeakingFrameBudget } from './speaking-frame-budget';
// Both runtimes: the bundled model is Cubism 2, models people bring are often Cubism 4/5.
import { config, Live2DModel } from 'pixi-live2d-display';

// Motions of the bundled model carry recorded voice lines; Kiyo speaks with her TTS voice only,
// and a second voice would reach the stream too.
config.sound = false;

/** The default model, copied from live2d-widget-model-shizuku at build time. */
export const DEFAULT_MODEL_URL = 'models/shizuku/shizuku.model.json';

interface CoreModel {
  setParamFloat?(id: string, value: number): void;
  getParamFloat?(id: string): number;
  setParameterValueById?(id: string, value: number): void;
  getParameterValueById?(id: string): number;
}

/** What the canvas renders at, for the debug hook: device pixels against CSS pixels. */
export interface RenderSize {
  width: number;
  height: number;
  cssWidth: number;
  cssHeight: number;
  resolution: number;
}

/**
 * A Live2D model on a transparent canvas, with idle motions, a random expression now and then,
 * and its mouth driven from outside (lip sync) after motions have run each frame.
 *
 * It draws only when `draw` is called (the page's FrameClock, at the frame-rate cap): no PIXI
 * ticker runs. pixi-live2d-display would otherwise advance every model from PIXI's shared ticker on
 * every animation frame, and the app's own ticker would render on every one too.
 */
export class Live2DAvatar {
  private readonly app: PIXI.Application;
  private model: Live2DModel | undefined;
  private url = '';
  private shownUrl = '';
  private loading: Promise<void> = Promise.resolve();
  private mouth = 0;
  private rendered = 0;
  private baseScale = 1;
  private userScale = 1;
  private renderScale: number;
  private renders = 0;
  /** Skips frames that would look the same as the one on screen (see redraw-gate.ts). */
  private readonly gate = new RedrawGate(IDLE_REDRAW_THRESHOLD_PX);
  private readonly pose = new ModelPoseReader();
  /** While she speaks, about 8 drawn frames a second (see speaking-frame-budget.ts). */
  private readonly speakingBudget = new SpeakingFrameBudget();
  /** The user's "light lip sync" (on by default); off, speaking frames are not held back. */
  private speakingFrameLimit = true;
  private speaking = false;
  private drawnModel: Live2DModel | undefined;
  /** Draws a Cubism 2 model with a few draw calls instead of one per mesh (undefined: Cubism 4). */
  private batch: Cubism2BatchRenderer | undefined;
  private readonly stopWatchingDensity: () => void;
  private readonly interactive: boolean;
  private readonly modelListeners = new Set<(model: Live2DModel) => void>();
  private readonly contextLoss: ContextLossWatch;
  /** The nearest mipmap level in software GL (see software-texture-filter.ts); made on the first frame. */
  private textureFilter: SoftwareTextureFilter | undefined;

  /** `interactive`: taps and pointer focus (the desktop page); off on the OBS page. */
  constructor(canvas: HTMLCanvasElement, options: { renderScale?: number; interactive?: boolean } = {}) {
    this.renderScale = options.renderScale ?? 1;
    this.interactive = options.interactive ?? true;
    this.app = new PIXI.Application({
      view: canvas,
      backgroundAlpha: 0,
      // Off: Live2D textures carry their own soft, alpha-blended edges and mesh borders lie in
      // transparent texels, so multisampling changes little on screen but cost about a third of
      // each frame in software GL (SwiftShader, measured with the bench's overlay idle).
      antialias: false,
      // The canvas keeps its CSS size; its backing store is that × resolution device pixels.
      autoDensity: true,
      resolution: this.resolution(),
      resizeTo: canvas.parentElement ?? window,
      autoStart: false,
      sharedTicker: false,
    });
    this.app.ticker.stop();
    // Pointer-over checks would otherwise run on PIXI's system ticker every animation frame;
    // taps and moves still arrive as DOM events.
    this.app.renderer.plugins.interaction.useSystemTicker = false;
    this.app.renderer.on('resize', () => this.layout());
    // Counted where PIXI renders, so a render from anywhere (a ticker left running) shows too.
    this.app.renderer.on('postrender', () => this.renders++);
    this.stopWatchingDensity = watchDevicePixelRatio(() => this.applyResolution());
    // pixi restores its own state with the context; the model's textures and the batch's buffers
    // are rebuilt by loading the model again.
    this.contextLoss = watchContextLoss(canvas, () => this.reloadModel());
  }

  /** Times the WebGL context was lost and restored since the avatar was made. */
  get contextRestores(): number {
    return this.contextLoss.restores;
  }

  private reloadModel(): void {
    this.gate.invalidate();
    const url = this.url;
    if (!url) return;
    this.url = '';
    this.load(url).catch((error: unknown) => console.warn(`avatar: reloading ${url} failed:`, error));
  }

  get loaded(): boolean {
    return this.model !== undefined;
  }

  /** The model asked for (maybe still loading). */
  get modelUrl(): string {
    return this.url;
  }

  /** The model on screen. */
  get shownModelUrl(): string {
    return this.shownUrl;
  }

  /** Loads a model, replacing the current one once the new one is ready; loads run one at a time. */
  load(url: string = DEFAULT_MODEL_URL): Promise<void> {
    if (url === this.url) return this.loading;
    this.url = url;
    this.loading = this.loading.catch(() => {}).then(() => this.replaceModel(url));
    return this.loading;
  }

  private async replaceModel(url: string): Promise<void> {
    // autoUpdate off: motions advance in `draw`, by the time that passed, not per animation frame.
    const model = await Live2DModel.from(url, { autoInteract: this.interactive, autoUpdate: false });
    if (url !== this.url) {
      model.destroy(); // superseded while loading
      return;
    }
    this.batch?.destroy();
    this.model?.destroy();
    this.model = model;
    this.batch = Cubism2BatchRenderer.attach(model.internalModel.coreModel, undefined, (index) => {
      const texture = model.textures[index]?.baseTexture;
      return texture?.valid ? { width: texture.realWidth, height: texture.realHeight } : undefined;
    });
    this.shownUrl = url;
    this.app.stage.addChild(model);
    model.internalModel.on('beforeModelUpdate', () => this.writeMouth());
    model.on('hit', (areas: string[]) => {
      if (areas.includes('body')) void model.motion('tap_body');
      else if (areas.includes('head')) this.randomExpression();
    });
    withoutAnisotropicFiltering(model);
    this.layout();
    for (const listener of this.modelListeners) listener(model);
  }

  /** Calls back with every model put on screen, the current one first; returns the unsubscribe. */
  onModel(listener: (model: Live2DModel) => void): () => void {
    this.modelListeners.add(listener);
    if (this.model) listener(this.model);
    return () => this.modelListeners.delete(listener);
  }

  /**
   * Advances motions, physics and blinking by `dtMs` and renders the frame, unless it would look
   * the same as the one on screen. A step of 0 is the clock's first frame after starting or after
   * the page was hidden: always drawn, so what shows is fresh at once.
   */
  draw(dtMs: number): void {
    // Nothing can be drawn until the context is back (reloadModel then shows the model again).
    if (this.contextLoss.lost) return;
    const model = this.model;
    if (dtMs === 0) this.gate.invalidate();
    if (model) {
      model.update(dtMs);
      // Run the model's update here rather than inside the render, so the gate sees this frame's
      // pose (the render then finds no time left to apply and only draws). Not before the model's
      // first render: that is where the library hands it the WebGL context its update needs.
      if (model === this.drawnModel && model.deltaTime) {
        model.internalModel.update(model.deltaTime, model.elapsedTime);
        model.deltaTime = 0;
      }
    }
    const sample = model && this.pose.read(model, this.app.renderer.resolution);
    // No model: only the first frame (a clear) is drawn. A runtime the reader does not know: all.
    if (model && !sample) this.gate.invalidate();
    // A frame that must be drawn (resumed, resized, new model) is never held back.
    if (this.speakingFrameLimit && !this.gate.stale && !this.speakingBudget.allows(dtMs, this.speaking))
      return;
    if (!this.gate.admit(sample ?? NOTHING_SHOWN)) return;
    this.app.render();
    this.speakingBudget.drawn();
    this.drawnModel = model;
    // After the render: a model's textures reach the GPU in its first one.
    if (model) this.filterTextures(model);
  }

  private filterTextures(model: Live2DModel): void {
    const renderer = this.app.renderer as PIXI.Renderer;
    const gl = renderer.gl;
    // Textures made again after a context loss are new objects, so they are filtered anew.
    if (this.textureFilter?.gl !== gl) this.textureFilter = SoftwareTextureFilter.for(gl);
    // On a GPU there is nothing to do, on every drawn frame.
    if (!this.textureFilter.software) return;
    this.textureFilter.apply(
      model.textures.map((texture) => texture.baseTexture._glTextures[renderer.CONTEXT_UID]?.texture),
    );
  }

  /** Whether WebGL runs in software here, and how many model textures read one mipmap level. */
  get textureFiltering(): { software: boolean; nearestMipTextures: number } | undefined {
    const filter = this.textureFilter;
    return filter && { software: filter.software, nearestMipTextures: filter.changed };
  }

  /**
   * Frames the clock asked for that were not drawn: nothing visible had changed, or she was
   * speaking and the speaking frame budget held them back.
   */
  get framesSkipped(): number {
    return this.gate.counts.skipped + this.speakingBudget.heldBack;
  }

  /**
   * The user's "light lip sync": on (the default), while she speaks about 8 frames a second are
   * drawn (speaking-frame-budget.ts), which matters in software GL; off, every frame the cap
   * allows and the redraw gate admits is drawn, for the smoothest mouth where drawing is cheap.
   */
  setSpeakingFrameLimit(on: boolean): void {
    this.speakingFrameLimit = on;
  }

  get speakingFrameLimited(): boolean {
    return this.speakingFrameLimit;
  }

  /**
   * Renders at this fraction (0.5 – 1) of the window's device pixels: fewer pixels to fill each
   * frame, a softer avatar. Never more than the device pixels.
   */
  setRenderScale(scale: number): void {
    if (!Number.isFinite(scale) || scale === this.renderScale) return;
    this.renderScale = Math.min(RENDER_SCALE_MAX, Math.max(RENDER_SCALE_MIN, scale));
    this.applyResolution();
  }

  /** Meshes and draw calls of the last frame drawn (undefined: not a Cubism 2 model). */
  get batchFrame(): BatchFrameStats | undefined {
    return this.batch?.lastFrame;
  }

  /**
   * The current pose drawn by the Cubism 2 core's own renderer and by the batched one, for the
   * pixel comparison in the tests; undefined when the model on screen is not batched.
   */
  checkRenderers(): RendererCheck | undefined {
    const batch = this.batch;
    if (!batch || this.drawnModel !== this.model) return undefined;
    const gl = (this.app.renderer as PIXI.Renderer).gl;
    return checkRenderers(batch, gl, () => this.app.render());
  }

  /**
   * Renders the pose on screen again, with every triangle and as shown, and counts the fragments
   * the batched renderer filled each way (fill-count.ts; debug hook, benchmark and tests). The
   * canvas ends up showing the same picture; the frames-drawn count goes up by two. Undefined when
   * the model is not batched.
   */
  countFill(): FillComparison | undefined {
    const batch = this.batch;
    if (!batch || this.drawnModel !== this.model) return undefined;
    const gl = (this.app.renderer as PIXI.Renderer).gl;
    return batch.countFill(gl, () => this.app.render());
  }

  /** Frames rendered since the avatar was made. */
  get framesDrawn(): number {
    return this.renders;
  }

  renderSize(): RenderSize {
    const view = this.app.view;
    return {
      width: view.width,
      height: view.height,
      cssWidth: this.app.screen.width,
      cssHeight: this.app.screen.height,
      resolution: this.app.renderer.resolution,
    };
  }

  setMouthOpen(value: number): void {
    this.mouth = value;
  }

  /**
   * Whether her voice is playing: while it is, a movement of one device pixel is drawn, about 8
   * frames a second unless the user turned that off (setSpeakingFrameLimit); while she is silent, two
   * (IDLE_REDRAW_THRESHOLD_PX: fewer idle frames, slow drift in 2-pixel steps), on any frame.
   */
  setSpeaking(speaking: boolean): void {
    this.speaking = speaking;
    this.gate.thresholdPx = speaking ? REDRAW_THRESHOLD_PX : IDLE_REDRAW_THRESHOLD_PX;
  }

  /** Device pixels of movement the next frame needs to be drawn (1 speaking, 2 silent). */
  get redrawThresholdPx(): number {
    return this.gate.thresholdPx;
  }

  /**
   * The mouth parameter the model last drew with, read back from the model right after it was
   * set (the model restores its saved parameters after drawing, so a later read would not tell).
   */
  modelMouthOpen(): number {
    return this.rendered;
  }

  setScale(scale: number): void {
    this.userScale = scale;
    this.layout();
  }

  randomExpression(): void {
    const expressions = this.model?.internalModel.motionManager.expressionManager?.definitions ?? [];
    if (expressions.length > 0) void this.model?.expression(Math.floor(Math.random() * expressions.length));
  }

  /** True when the point (canvas CSS pixels) is over the model's visible bounds. */
  containsPoint(x: number, y: number): boolean {
    return this.model?.getBounds().contains(x, y) ?? false;
  }

  destroy(): void {
    this.contextLoss.stop();
    this.batch?.destroy();
    this.batch = undefined;
    this.stopWatchingDensity();
    this.app.destroy(false, { children: true });
  }

  private resolution(): number {
    return (window.devicePixelRatio || 1) * this.renderScale;
  }

  /** A new render scale, or the window moved to a screen of another density. */
  private applyResolution(): void {
    this.gate.invalidate();
    const renderer = this.app.renderer;
    renderer.resolution = this.resolution();
    // Pointer hits map through the same resolution (the avatar stays clickable after a change).
    renderer.plugins.interaction.resolution = renderer.resolution;
    renderer.resize(this.app.screen.width, this.app.screen.height);
  }

  private writeMouth(): void {
    const core = this.model?.internalModel.coreModel as CoreModel | undefined;
    if (core?.setParamFloat) {
      core.setParamFloat('PARAM_MOUTH_OPEN_Y', this.mouth);
      this.rendered = core.getParamFloat?.('PARAM_MOUTH_OPEN_Y') ?? this.mouth;
    } else if (core?.setParameterValueById) {
      core.setParameterValueById('ParamMouthOpenY', this.mouth);
      this.rendered = core.getParameterValueById?.('ParamMouthOpenY') ?? this.mouth;
    }
  }

  private layout(): void {
    this.gate.invalidate();
    const model = this.model;
    if (!model) return;
    const { width, height } = this.app.screen;
    model.scale.set(1);
    this.baseScale = Math.min(width / model.width, height / model.height);
    model.scale.set(this.baseScale * this.userScale);
    model.x = (width - model.width) / 2;
    model.y = height - model.height;
  }
}

const NOTHING_SHOWN = { vertices: [], opacities: [], pixelsPerUnit: 1 };

/**
 * The Cubism 2 renderer turns anisotropic filtering up to the GPU's maximum (16× in SwiftShader) on
 * every draw. A Live2D model is flat and faces the screen, so its texture footprint is never
 * stretched and anisotropic filtering changes nothing on screen; it only costs software GL per
 * pixel, and 131 texParameteri calls a frame for the bundled model.
 */
function withoutAnisotropicFiltering(model: Live2DModel): void {
  const core = model.internalModel.coreModel as { drawParamWebGL?: object };
  if (!core.drawParamWebGL) return; // Cubism 4: this library's renderer never sets anisotropy
  // The renderer looks the extension up again on its first draw, so an assignment would not last.
  Object.defineProperty(core.drawParamWebGL, 'anisotropyExt', {
    configurable: true,
    get: () => null,
    set: () => {},
  });
}

/** Calls back whenever devicePixelRatio changes (a window dragged to another screen, browser zoom). */
function watchDevicePixelRatio(onChange: () => void): () => void {
  let query: MediaQueryList | undefined;
  const listen = () => {
    query?.removeEventListener('change', changed);
    query = window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    query.addEventListener('change', changed);
  };
  const changed = () => {
    listen(); // the query matches one ratio only: watch for the next change from the new one
    onChange();
  };
  listen();
  return () => query?.removeEventListener('change', changed);
}
