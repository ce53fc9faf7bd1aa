import type { Live2DModel } from 'pixi-live2d-display';
import { BlinkCycle, ModelBlinkWatch } from './blink';
import type { FrameClock } from './frame-clock';

interface Cubism2Core {
  getParamFloat(id: string): number;
  setParamFloat(id: string, value: number): void;
}
interface Cubism4Core {
  getParameterValueById(id: string): number;
  setParameterValueById(id: string, value: number): void;
}

const MOUTH = { cubism2: 'PARAM_MOUTH_OPEN_Y', cubism4: 'ParamMouthOpenY' } as const;

const EYES = {
  cubism2: ['PARAM_EYE_L_OPEN', 'PARAM_EYE_R_OPEN'],
  cubism4: ['ParamEyeLOpen', 'ParamEyeROpen'],
} as const;

/**
 * What keeps the avatar alive between and during replies, on the page's one FrameClock (no loop
 * of its own):
 * - Blinking. pixi-live2d-display 0.4's Cubism 2 blink never closes the eyes (it adds where it
 *   should subtract) and pauses whenever a motion plays, which with idle motions is always; so
 *   Cubism 2 models, and Cubism 4 models without an EyeBlink group, blink here, unless their own
 *   motions blink (the bundled model's idle motions do): then this keeps out (ModelBlinkWatch),
 *   and takes over when a motion without eyelids plays for a while. The blink scales the eye
 *   parameters after motions and expressions ran, so a wide-eyed expression stays wide.
 * - Breathing and the slow head sway are the library's own (PARAM_BREATH, Cubism 4 breath), not
 *   repeated here.
 * - Pointer: on the desktop page the library turns the head and eyes to the pointer; when the
 *   pointer leaves the window she looks back at the viewer instead of staring at the edge.
 * The mouth is not touched: lip sync writes it after all of this, every frame.
 */
export class IdleLife {
  private readonly blink = new BlinkCycle();
  private readonly modelBlink = new ModelBlinkWatch();
  private openness = 1;
  private mouth = 0;
  private shut = 0;
  private ownBlinkFrames = 0;
  private model: Live2DModel | undefined;
  private readonly stops: (() => void)[] = [];

  constructor(
    clock: FrameClock,
    onModel: (listener: (model: Live2DModel) => void) => () => void,
    options: { followPointer: boolean },
  ) {
    this.stops.push(
      clock.add((_now, dtMs) => {
        this.openness = this.blink.step(dtMs);
        this.modelBlink.step(dtMs);
      }),
    );
    this.stops.push(onModel((model) => this.attach(model)));
    if (options.followPointer) {
      const onOut = (event: PointerEvent) => {
        if (!event.relatedTarget) this.model?.internalModel.focusController.focus(0, 0);
      };
      document.addEventListener('pointerout', onOut);
      this.stops.push(() => document.removeEventListener('pointerout', onOut));
    }
  }

  /**
   * The mouth as the model last drew it: read at the very end of its update, after motions,
   * expressions and lip sync all wrote it (for the debug hook: proof that no motion wins).
   */
  get drawnMouth(): number {
    return this.mouth;
  }

  /** Where she looks, -1 – 1 each way (0, 0 = at the viewer), for the debug hook. */
  get gaze(): { x: number; y: number } {
    const focus = this.model?.internalModel.focusController;
    return { x: focus?.x ?? 0, y: focus?.y ?? 0 };
  }

  /** Model updates drawn with the eyes shut (for the debug hook: blinks reach the model). */
  get shutEyeFrames(): number {
    return this.shut;
  }

  /** Model updates Kiyo's own blink narrowed the eyes in (for the debug hook). */
  get kiyoBlinkFrames(): number {
    return this.ownBlinkFrames;
  }

  /** Blinks so far (for the debug hook). */
  get blinks(): number {
    return this.blink.blinks;
  }

  destroy(): void {
    for (const stop of this.stops) stop();
  }

  private attach(model: Live2DModel): void {
    this.model = model;
    const internal = model.internalModel as typeof model.internalModel & { eyeBlink?: unknown };
    const core = internal.coreModel as Partial<Cubism2Core & Cubism4Core>;
    let write: (() => void) | undefined;
    if (core.setParamFloat && core.getParamFloat) {
      const c2 = core as Cubism2Core;
      write = () => {
        this.modelBlink.saw(c2.getParamFloat(EYES.cubism2[0]));
        if (this.modelBlink.modelBlinks) return;
        if (this.openness < 1) this.ownBlinkFrames++;
        for (const id of EYES.cubism2) c2.setParamFloat(id, c2.getParamFloat(id) * this.openness);
      };
    } else if (core.setParameterValueById && core.getParameterValueById && !internal.eyeBlink) {
      const c4 = core as Cubism4Core;
      write = () => {
        this.modelBlink.saw(c4.getParameterValueById(EYES.cubism4[0]));
        if (this.modelBlink.modelBlinks) return;
        if (this.openness < 1) this.ownBlinkFrames++;
        for (const id of EYES.cubism4)
          c4.setParameterValueById(id, c4.getParameterValueById(id) * this.openness);
      };
    }
    if (write) internal.on('beforeModelUpdate', write);
    // Added after the avatar's own lip-sync listener (onModel runs once that is in place).
    internal.on('beforeModelUpdate', () => {
      const read = (c2: string, c4: string) =>
        core.getParamFloat ? core.getParamFloat(c2) : (core.getParameterValueById?.(c4) ?? 0);
      this.mouth = read(MOUTH.cubism2, MOUTH.cubism4);
      if (read(EYES.cubism2[0], EYES.cubism4[0]) < 0.05) this.shut++;
    });
  }
}
