import { z } from 'zod';
import { emotionMapSchema, type EmotionAction, type ModelCatalog } from './emotion-map';
import { FRAME_RATE_CAPS, RENDER_SCALE_MAX, RENDER_SCALE_MIN, type OverlayState } from './ipc';
import type { TurnLatency } from './pipeline-events';
import type { RendererSettings } from './settings-view';
import type { VoiceStatus } from './voice-input';

/** Channels of the preferences window (renderer → main invoke unless noted). */
export const PREFS_IPC = {
  getSettings: 'kiyo:prefs:get-settings',
  updateSettings: 'kiyo:prefs:update-settings',
  confirmApiKeyOrigin: 'kiyo:prefs:confirm-api-key-origin',
  resetSettings: 'kiyo:prefs:reset-settings',
  listModels: 'kiyo:prefs:list-models',
  testConnection: 'kiyo:prefs:test-connection',
  listVoices: 'kiyo:prefs:list-voices',
  previewVoice: 'kiyo:prefs:preview-voice',
  getOverlay: 'kiyo:prefs:get-overlay',
  updateOverlay: 'kiyo:prefs:update-overlay',
  getLatency: 'kiyo:prefs:get-latency',
  getAdvanced: 'kiyo:prefs:get-advanced',
  setLogLevel: 'kiyo:prefs:set-log-level',
  setHotkey: 'kiyo:prefs:set-hotkey',
  chooseAvatar: 'kiyo:prefs:choose-avatar',
  useDefaultAvatar: 'kiyo:prefs:use-default-avatar',
  openLogsFolder: 'kiyo:prefs:open-logs-folder',
  /** The expressions and motion groups of the model shown (read from its model file). */
  getAvatarCatalog: 'kiyo:prefs:get-avatar-catalog',
  /** Plays an expression or motion on the desktop overlay now. */
  previewAvatar: 'kiyo:prefs:preview-avatar',
  /** What the overlay's ear last reported (level, microphones, state); undefined before it did. */
  getVoiceStatus: 'kiyo:prefs:get-voice-status',
  /** main → renderer: the overlay's ear reported (a few times a second while it listens). */
  voiceStatus: 'kiyo:prefs:voice-status',
  /** main → renderer: something changed (a turn ended, settings were repaired…). */
  changed: 'kiyo:prefs:changed',
} as const;

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type PrefsLogLevel = (typeof LOG_LEVELS)[number];

export const overlayPatchSchema = z
  .object({
    scale: z.number().min(0.3).max(3),
    alwaysOnTop: z.boolean(),
    clickThrough: z.boolean(),
    subtitles: z.boolean(),
    chatInputVisible: z.boolean(),
    streamStatus: z.boolean(),
    frameRateCap: z.literal(FRAME_RATE_CAPS),
    renderScale: z.number().min(RENDER_SCALE_MIN).max(RENDER_SCALE_MAX),
    lightLipSync: z.boolean(),
    /** Emotion → expression/motion for the model shown now (kept per model). */
    emotionMap: emotionMapSchema,
  })
  .partial()
  .strict();
export type OverlayPatch = z.infer<typeof overlayPatchSchema>;

export const previewVoiceSchema = z.object({ text: z.string().trim().min(1).max(500) });
export const logLevelSchema = z.enum(LOG_LEVELS);

export type Result<T> = ({ ok: true } & T) | { ok: false; error: string };
export type UpdateResult =
  { ok: true; settings: RendererSettings; keyPersisted: boolean } | { ok: false; errors: string[] };

export interface EdgeVoice {
  shortName: string;
  locale: string;
  gender: string;
  friendlyName: string;
}

export const HOTKEY_ACTIONS = [
  'toggleOverlay',
  'toggleClickThrough',
  'toggleChatInput',
  'openPreferences',
  /** Hold to talk (a global key hook), or press to start and again to send where none runs: push-to-talk.ts. */
  'pushToTalk',
] as const;

export interface HotkeyInfo {
  id: (typeof HOTKEY_ACTIONS)[number];
  /** What it does, in words. */
  action: string;
  /** Electron accelerator, e.g. CommandOrControl+Shift+K; '' = off. */
  accelerator: string;
  registered: boolean;
  /** Why it is not registered (taken by another app, not a valid shortcut…). */
  problem?: string;
  /** Push to talk only: whether holding the key talks (src/main/shell/global-key-hook-control.ts). */
  holdToTalk?: HoldToTalkStatus;
}

/**
 * Hold-to-talk's global key hook: off (not wanted), starting, active (hold the key to talk), or
 * unavailable with a plain reason (the push-to-talk key then toggles).
 */
export type HoldToTalkStatus =
  { state: 'off' | 'starting' | 'active' } | { state: 'unavailable'; problem: string };

export const setHotkeySchema = z.object({ id: z.enum(HOTKEY_ACTIONS), accelerator: z.string().max(64) });

export interface AdvancedInfo {
  logLevel: PrefsLogLevel;
  logsFolder: string;
  settingsFile: string;
  hotkeys: HotkeyInfo[];
  /** Told once after start: values that were invalid and reset, a corrupt file that was backed up. */
  notices: string[];
  /** Where the overlay can be added to OBS, if browser mode runs. */
  obsUrl?: string;
  /** The last problems (newest first) with their technical detail, which the overlay never shows. */
  problems: RecentProblem[];
}

/** A problem as Preferences → Advanced lists it: when, what the overlay said, and the technical detail. */
export interface RecentProblem {
  /** Epoch ms. */
  at: number;
  message: string;
  detail: string;
}

export type PrefsChange = 'latency' | 'settings' | 'overlay' | 'problems';

/** `window.kiyoPreferences`: what the preferences page can ask of the app. */
export interface PreferencesBridge {
  getSettings(): Promise<RendererSettings>;
  /** A deep-partial patch; `llm.apiKey` replaces the key when non-empty, `null` removes it. */
  updateSettings(patch: unknown): Promise<UpdateResult>;
  /** "Use my saved key with <origin>?" — yes: the saved key may go to the current base URL's origin. */
  confirmApiKeyOrigin(): Promise<UpdateResult>;
  /** Everything back to defaults except the API key. */
  resetSettings(): Promise<RendererSettings>;
  listModels(): Promise<Result<{ models: string[] }>>;
  testConnection(): Promise<Result<{ firstTokenMs: number; model: string }>>;
  listVoices(): Promise<Result<{ voices: EdgeVoice[] }>>;
  previewVoice(text: string): Promise<Result<object>>;
  getOverlay(): Promise<OverlayState>;
  /** Opens a folder picker for a Live2D model; resolves with the overlay state after the choice. */
  chooseAvatar(): Promise<OverlayState>;
  useDefaultAvatar(): Promise<OverlayState>;
  updateOverlay(patch: OverlayPatch): Promise<OverlayState>;
  getAvatarCatalog(): Promise<Result<ModelCatalog>>;
  previewAvatar(action: EmotionAction): Promise<void>;
  getLatency(): Promise<TurnLatency[]>;
  getAdvanced(): Promise<AdvancedInfo>;
  setLogLevel(level: PrefsLogLevel): Promise<void>;
  /** Changes (or with '' turns off) a global shortcut; answers with every shortcut's state. */
  setHotkey(change: { id: HotkeyInfo['id']; accelerator: string }): Promise<HotkeyInfo[]>;
  openLogsFolder(): Promise<void>;
  onChanged(listener: (what: PrefsChange) => void): () => void;
  /** The overlay's ear (Preferences has no microphone of its own): last report, then each new one. */
  getVoiceStatus(): Promise<VoiceStatus | null>;
  onVoiceStatus(listener: (status: VoiceStatus) => void): () => void;
}
