import { MotionPriority, type Live2DModel } from 'pixi-live2d-display';
import {
  BUILT_IN_EMOTION_MAP,
  type EmotionAction,
  type EmotionMap,
  type ModelCatalog,
} from '../../../shared/emotion-map';

/** The segment being heard, as the frame loop sees it. */
export interface AudibleSegment {
  turnId: string;
  segmentIndex: number;
  emotion?: string;
}

/** An emotion put on the avatar, for the debug hook (tests compare `at` with the audio clock). */
export interface AppliedEmotion {
  turnId: string;
  segmentIndex: number;
  emotion: string;
  /** AudioContext time when it was applied. */
  at: number;
  expression?: string;
  motion?: string;
}

/** After the voice falls silent, the face the last emotion left stays this long, then relaxes. */
const REST_AFTER_MS = 4000;
const KEEP_APPLIED = 64;

/** Expression names (Cubism 2 `name`, Cubism 4 `Name`) and motion groups of a loaded model. */
export function catalogOf(model: Live2DModel): ModelCatalog {
  const manager = model.internalModel.motionManager;
  const definitions = (manager.expressionManager?.definitions ?? []) as { name?: string; Name?: string }[];
  return {
    expressions: definitions.map((d) => d.name ?? d.Name ?? '').filter(Boolean),
    motions: Object.keys(manager.definitions).filter(
      (group) => (manager.definitions[group]?.length ?? 0) > 0,
    ),
  };
}

/**
 * Puts the reply's emotions on the avatar as they are heard: each frame the loop says which
 * segment is audible, and the first frame of a segment that carries an emotion applies that
 * emotion's expression and/or motion from the model's map. Text that has arrived but is not
 * playing yet changes nothing.
 */
export class EmotionDirector {
  private model: Live2DModel | undefined;
  private map: EmotionMap = BUILT_IN_EMOTION_MAP;
  private heard: { turnId: string; segmentIndex: number } | undefined;
  private silentMs = 0;
  private relaxed = true;
  readonly applied: AppliedEmotion[] = [];

  constructor(onModel: (listener: (model: Live2DModel) => void) => () => void) {
    onModel((model) => {
      this.model = model;
      this.relaxed = true;
    });
  }

  setMap(map: EmotionMap): void {
    this.map = map;
  }

  /** What the model on screen offers to map to (empty until one is loaded). */
  catalog(): ModelCatalog {
    return this.model ? catalogOf(this.model) : { expressions: [], motions: [] };
  }

  /** Called every frame with the audible segment (undefined in silence) and the audio clock. */
  update(audible: AudibleSegment | undefined, audioTime: number, dtMs: number): void {
    if (!audible) {
      this.heard = undefined;
      this.silentMs += dtMs;
      if (!this.relaxed && this.silentMs >= REST_AFTER_MS) this.relax();
      return;
    }
    this.silentMs = 0;
    if (this.heard?.turnId === audible.turnId && this.heard.segmentIndex === audible.segmentIndex) return;
    this.heard = { turnId: audible.turnId, segmentIndex: audible.segmentIndex };
    if (!audible.emotion) return;
    const action = this.map[audible.emotion];
    if (!action) return;
    this.play(action);
    this.applied.push({
      turnId: audible.turnId,
      segmentIndex: audible.segmentIndex,
      emotion: audible.emotion,
      at: audioTime,
      ...action,
    });
    if (this.applied.length > KEEP_APPLIED) this.applied.shift();
  }

  /** The motion group playing now (idle, tap_body, …), for the debug hook. */
  currentMotion(): string | undefined {
    return this.model?.internalModel.motionManager.state.currentGroup;
  }

  /** The name of the expression on the face now (undefined for the model's default face). */
  currentExpression(): string | undefined {
    const manager = this.model?.internalModel.motionManager.expressionManager;
    if (!manager) return undefined;
    const index = manager.expressions.indexOf(manager.currentExpression);
    const definition = manager.definitions[index] as { name?: string; Name?: string } | undefined;
    return definition?.name ?? definition?.Name;
  }

  /** Plays an expression or motion now (Preferences' preview buttons). */
  preview(action: EmotionAction): void {
    this.play(action);
  }

  private play(action: EmotionAction): void {
    const model = this.model;
    if (!model) return;
    this.relaxed = false;
    // A name the model does not have is refused by the library (false), never thrown at the page.
    if (action.expression) void model.expression(action.expression).catch(() => false);
    // FORCE: a reaction must start now, not wait for an idle or tap motion to finish.
    if (action.motion) void model.motion(action.motion, undefined, MotionPriority.FORCE).catch(() => false);
  }

  private relax(): void {
    this.relaxed = true;
    this.model?.internalModel.motionManager.expressionManager?.resetExpression();
  }
}
