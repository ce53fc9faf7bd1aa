import type { EmotionAction, EmotionMap, ModelCatalog } from '../../shared/emotion-map';
import type { FrameRateCap, OverlayState } from '../../shared/ipc';
import type { TurnLatency } from '../../shared/pipeline-events';
import type {
  AdvancedInfo,
  EdgeVoice,
  HotkeyInfo,
  OverlayPatch,
  PrefsChange,
  PrefsLogLevel,
  Result,
  UpdateResult,
} from '../../shared/preferences-api';
import { defaultPipelineSettings, type PipelineSettings } from '../../shared/settings';
import type { RendererSettings } from '../../shared/settings-view';
import type { VoiceStatus } from '../../shared/voice-input';
import type { Conversation } from '../pipeline/conversation';
import { listModels, measureFirstToken } from '../pipeline/llm-probe';
import type { Logger } from '../pipeline/logger';
import type { TurnRunner } from '../pipeline/turn-runner';
import type { RecentProblems } from './recent-problems';
import { keepSavedKeys } from '../settings/keep-saved-keys';
import { applyUpdate, confirmKeyForBaseUrl, redactForRenderer } from '../settings/settings-persistence';

/** The overlay controls preferences can change (OverlayWindow has them; tests use a memory one). */
export interface OverlayControls {
  state(): OverlayState;
  setScale(scale: number): void;
  setAlwaysOnTop(on: boolean): void;
  setClickThrough(on: boolean): void;
  setSubtitles(on: boolean): void;
  setChatInputVisible(visible: boolean): void;
  setFrameRateCap(fps: FrameRateCap): void;
  setRenderScale(scale: number): void;
  /** While she speaks, draw about 8 frames a second (off: every frame the cap allows). */
  setLightLipSync(on: boolean): void;
  setStreamStatus(on: boolean): void;
  setModel(folder: string, entry: string): void;
  /** The emotion map of the model shown now (each model keeps its own). */
  setEmotionMap(map: EmotionMap): void;
  /** Plays an expression or motion on the desktop overlay now. */
  previewAvatar(action: EmotionAction): void;
}

export interface PreferencesDeps {
  conversation: Conversation;
  runner: TurnRunner;
  /** Persists settings; says whether the API key could be stored encrypted. */
  save(settings: PipelineSettings): { keyPersisted: boolean };
  overlay: OverlayControls;
  logger: Logger;
  fetchVoices(): Promise<EdgeVoice[]>;
  /** Lets the user pick a Live2D model folder (a native dialog in the app). */
  chooseModel(): Promise<void>;
  /** The shown model's expressions and motion groups, from its model file (plain error on failure). */
  readModelCatalog(): Promise<ModelCatalog>;
  advanced: Omit<AdvancedInfo, 'logLevel' | 'hotkeys' | 'problems'>;
  /** Problems with their technical detail (the overlay only gets a short sentence). */
  problems: RecentProblems;
  hotkeys: { list(): HotkeyInfo[]; set(id: HotkeyInfo['id'], accelerator: string): HotkeyInfo[] };
  openLogsFolder(): Promise<void>;
  /** What the overlay's ear last reported (Preferences shows its level and microphones). */
  voiceStatus?: () => VoiceStatus | undefined;
  /** Tells the preferences page something changed (Electron: IPC; tests: a callback). */
  notify(change: PrefsChange): void;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Everything the preferences window can do, in plain Node: Electron IPC and the test bridge both
 * call these methods after validating who is asking. Changes apply to the next turn at once.
 */
export class PreferencesService {
  private voices: EdgeVoice[] | undefined;

  constructor(private readonly deps: PreferencesDeps) {
    deps.runner.onLatency(() => deps.notify('latency'));
    deps.problems.onChange(() => deps.notify('problems'));
  }

  private get settings(): PipelineSettings {
    return this.deps.conversation.currentSettings;
  }

  getSettings(): RendererSettings {
    return redactForRenderer(this.settings);
  }

  updateSettings(patch: unknown): UpdateResult {
    const result = applyUpdate(this.settings, patch);
    if (!result.ok) return result;
    return this.apply(result.settings);
  }

  /** The user confirmed the saved key for the current base URL's origin (it was bound to another). */
  confirmApiKeyOrigin(): UpdateResult {
    const result = confirmKeyForBaseUrl(this.settings);
    if (!result.ok) return result;
    this.deps.logger.info(`the saved API key may now be sent to ${result.settings.llm.apiKeyOrigin}`);
    return this.apply(result.settings);
  }

  resetSettings(): RendererSettings {
    this.apply(keepSavedKeys(defaultPipelineSettings(), this.settings));
    this.deps.logger.info('settings reset to defaults (the saved API keys were kept)');
    return this.getSettings();
  }

  private apply(settings: PipelineSettings): UpdateResult {
    const { keyPersisted } = this.deps.save(settings);
    this.deps.conversation.updateSettings(settings);
    this.deps.notify('settings');
    return { ok: true, settings: redactForRenderer(settings), keyPersisted };
  }

  async listModels(): Promise<Result<{ models: string[] }>> {
    try {
      return { ok: true, models: await listModels(this.settings.llm, this.deps.logger) };
    } catch (error) {
      return { ok: false, error: message(error) };
    }
  }

  async testConnection(): Promise<Result<{ firstTokenMs: number; model: string }>> {
    try {
      const firstTokenMs = await measureFirstToken(this.settings.llm, this.deps.logger);
      return { ok: true, firstTokenMs, model: this.settings.llm.model };
    } catch (error) {
      return { ok: false, error: message(error) };
    }
  }

  async listVoices(): Promise<Result<{ voices: EdgeVoice[] }>> {
    try {
      this.voices ??= await this.deps.fetchVoices();
      return { ok: true, voices: this.voices };
    } catch (error) {
      return { ok: false, error: `Could not fetch the Edge voice list: ${message(error)}` };
    }
  }

  /** Speaks a sample through the same pipeline, so the overlay plays it with the current voice. */
  async previewVoice(text: string): Promise<Result<object>> {
    await this.deps.runner.previewVoice(text);
    return { ok: true };
  }

  getOverlay(): OverlayState {
    return this.deps.overlay.state();
  }

  updateOverlay(patch: OverlayPatch): OverlayState {
    const overlay = this.deps.overlay;
    if (patch.scale !== undefined) overlay.setScale(patch.scale);
    if (patch.alwaysOnTop !== undefined) overlay.setAlwaysOnTop(patch.alwaysOnTop);
    if (patch.clickThrough !== undefined) overlay.setClickThrough(patch.clickThrough);
    if (patch.subtitles !== undefined) overlay.setSubtitles(patch.subtitles);
    if (patch.chatInputVisible !== undefined) overlay.setChatInputVisible(patch.chatInputVisible);
    if (patch.streamStatus !== undefined) overlay.setStreamStatus(patch.streamStatus);
    if (patch.frameRateCap !== undefined) overlay.setFrameRateCap(patch.frameRateCap);
    if (patch.renderScale !== undefined) overlay.setRenderScale(patch.renderScale);
    if (patch.lightLipSync !== undefined) overlay.setLightLipSync(patch.lightLipSync);
    if (patch.emotionMap !== undefined) overlay.setEmotionMap(patch.emotionMap);
    this.deps.notify('overlay');
    return overlay.state();
  }

  async chooseAvatar(): Promise<OverlayState> {
    await this.deps.chooseModel();
    return this.deps.overlay.state();
  }

  useDefaultAvatar(): OverlayState {
    this.deps.overlay.setModel('', '');
    return this.deps.overlay.state();
  }

  async getAvatarCatalog(): Promise<Result<ModelCatalog>> {
    try {
      return { ok: true, ...(await this.deps.readModelCatalog()) };
    } catch (error) {
      this.deps.logger.warn("cannot list the avatar model's expressions and motions:", error);
      return { ok: false, error: message(error) };
    }
  }

  previewAvatar(action: EmotionAction): void {
    this.deps.overlay.previewAvatar(action);
  }

  getLatency(): TurnLatency[] {
    return this.deps.runner.recentLatency();
  }

  getVoiceStatus(): VoiceStatus | null {
    return this.deps.voiceStatus?.() ?? null;
  }

  getAdvanced(): AdvancedInfo {
    return {
      ...this.deps.advanced,
      logLevel: this.deps.logger.level,
      hotkeys: this.deps.hotkeys.list(),
      problems: this.deps.problems.list(),
    };
  }

  setHotkey(change: { id: HotkeyInfo['id']; accelerator: string }): HotkeyInfo[] {
    return this.deps.hotkeys.set(change.id, change.accelerator);
  }

  setLogLevel(level: PrefsLogLevel): void {
    this.deps.logger.setLevel(level);
    this.deps.logger.info(`log level set to ${level}`);
  }

  openLogsFolder(): Promise<void> {
    return this.deps.openLogsFolder();
  }
}
