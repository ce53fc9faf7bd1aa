import { PIXI } from './pixi-global';
// Both runtimes: the bundled model is Cubism 2, models people bring are often Cubism 4/5.
import { Live2DModel } from 'pixi-live2d-display';

Live2DModel.registerTicker(PIXI.Ticker);

/** The default model, copied from live2d-widget-model-shizuku at build time. */
export const DEFAULT_MODEL_URL = 'models/shizuku/shizuku.model.json';

interface CoreModel {
  setParamFloat?(id: string, value: number): void;
  getParamFloat?(id: string): number;
  setParameterValueById?(id: string, value: number): void;
  getParameterValueById?(id: string): number;
}

/**
 * A Live2D model on a transparent canvas, with idle motions, a random expression now and then,
 * and its mouth driven from outside (lip sync) after motions have run each frame.
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

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.app = new PIXI.Application({
      view: canvas,
      backgroundAlpha: 0,
      antialias: true,
      autoDensity: true,
      resolution: window.devicePixelRatio || 1,
      resizeTo: canvas.parentElement ?? window,
    });
    this.app.renderer.on('resize', () => this.layout());
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
    const model = await Live2DModel.from(url, { autoInteract: true });
    if (url !== this.url) {
      model.destroy(); // superseded while loading
      return;
    }
    this.model?.destroy();
    this.model = model;
    this.shownUrl = url;
    this.app.stage.addChild(model);
    model.internalModel.on('beforeModelUpdate', () => this.writeMouth());
    model.on('hit', (areas: string[]) => {
      if (areas.includes('body')) void model.motion('tap_body');
      else if (areas.includes('head')) this.randomExpression();
    });
    this.layout();
  }

  setMouthOpen(value: number): void {
    this.mouth = value;
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
    this.app.destroy(false, { children: true });
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
