import { z } from 'zod';
import { emotionMapsSchema, type EmotionAction } from './emotion-map';
import type { PipelineEvent } from './pipeline-events';
import type { EarState, Utterance, VoiceInputSettings, VoiceStatus } from './voice-input';

/**
 * The one contract between main, preload and renderer: channel names and payload types. Main
 * validates every payload it receives with the schemas here; the renderer never sees Node.
 */
export const IPC = {
  /** renderer → main (invoke): start a turn with what the user typed; cancels a turn in progress. */
  say: 'kiyo:say',
  /** renderer → main (send): stop the current turn (barge-in, Escape). */
  cancel: 'kiyo:cancel',
  /** renderer → main (send): the player started the first sample of a turn. */
  playbackStarted: 'kiyo:playback-started',
  /** renderer → main (send): the player was interrupted; how many segments had been heard. */
  playbackStopped: 'kiyo:playback-stopped',
  /** renderer → main (send): the player played all of a turn's audio to its end, uninterrupted. */
  playbackFinished: 'kiyo:playback-finished',
  /** main → renderer: every pipeline event, unchanged. */
  event: 'kiyo:event',
  /** main → renderer: overlay UI state changed from the tray or a hotkey. */
  overlayState: 'kiyo:overlay-state',
  /** renderer → main (send): the pointer entered/left the avatar, so click-through can let it stay clickable. */
  pointerOverAvatar: 'kiyo:pointer-over-avatar',
  /** main → renderer: the overlay window was hidden/minimised (false) or shown/restored (true). */
  windowVisible: 'kiyo:window-visible',
  /** overlay → main (send): a finished utterance (voice-input.ts) to transcribe and answer. */
  utterance: 'kiyo:utterance',
  /** overlay → main (send): transcribe the last utterance whose transcription failed, again. */
  retryUtterance: 'kiyo:retry-utterance',
  /** main → overlay: the voice input settings (mode, microphone, detection), on load and on change. */
  voiceInput: 'kiyo:voice-input',
  /** main → overlay: the push-to-talk hotkey went down (true) or up / toggled off (false). */
  pushToTalk: 'kiyo:push-to-talk',
  /** overlay → main (send): the ear's state, level and microphones (voice-input.ts VoiceStatus). */
  voiceStatus: 'kiyo:voice-status',
  /** main → overlay: play an expression or motion now (Preferences → Character's preview buttons). */
  avatarPreview: 'kiyo:avatar-preview',
} as const;

/** Frame-rate caps offered for the avatar and lip sync (frames per second). */
export const FRAME_RATE_CAPS = [15, 24, 30, 60] as const;
export type FrameRateCap = (typeof FRAME_RATE_CAPS)[number];
export const RENDER_SCALE_MIN = 0.5;
export const RENDER_SCALE_MAX = 1;

/** Overlay UI state that main owns (tray, hotkeys, persisted) and the overlay page renders. */
export const overlayStateSchema = z.object({
  chatInputVisible: z.boolean(),
  clickThrough: z.boolean(),
  subtitles: z.boolean(),
  /** Avatar scale, 0.3 – 3. */
  scale: z.number().min(0.3).max(3),
  /** Above every other window, full-screen apps included (where the OS allows). */
  alwaysOnTop: z.boolean(),
  /** Folder of a user-chosen Live2D model; '' = the bundled one. Read by main, which serves it. */
  modelFolder: z.string().max(4096),
  /** Its model.json / model3.json file name, which the page loads from `custom-model/`. */
  modelEntry: z
    .string()
    .max(255)
    .regex(/^[^/\\]*$/, 'a file name, not a path'),
  /** The avatar and lip sync draw at most this many frames per second. */
  frameRateCap: z.literal(FRAME_RATE_CAPS),
  /** The avatar renders at the window's device pixels × this (0.5 – 1): lower is lighter and softer. */
  renderScale: z.number().min(RENDER_SCALE_MIN).max(RENDER_SCALE_MAX),
  /**
   * Light lip sync: while her voice plays the avatar is drawn about 8 frames a second
   * (speaking-frame-budget.ts), which saves processor time in software rendering; off, it draws
   * every frame the cap allows and the redraw gate admits, for the smoothest mouth.
   */
  lightLipSync: z.boolean(),
  /**
   * The OBS/browser page may show a short, friendly status ("Kiyo is taking a short break"); off,
   * it shows the avatar and subtitles only. Never technical text either way.
   */
  streamStatus: z.boolean(),
  /**
   * Emotion → expression/motion per model (emotion-map.ts), by model key ('' = the bundled model,
   * which has defaults); the page uses the one of the model it shows.
   */
  emotionMaps: emotionMapsSchema,
});
export type OverlayState = z.infer<typeof overlayStateSchema>;

export const DEFAULT_OVERLAY_STATE: Readonly<OverlayState> = Object.freeze({
  chatInputVisible: true,
  clickThrough: false,
  subtitles: true,
  scale: 1,
  alwaysOnTop: true,
  modelFolder: '',
  modelEntry: '',
  frameRateCap: 30,
  renderScale: 1,
  // On: the overlay-cost targets (npm run bench:browser) are set at the defaults.
  lightLipSync: true,
  streamStatus: false,
  emotionMaps: Object.freeze({}),
});

export const pointerOverAvatarSchema = z.object({ over: z.boolean() });

/** Longest input Kiyo accepts, in characters (after trimming). The chat input says so, never cuts. */
export const SAY_MAX_CHARS = 4000;

export const sayRequestSchema = z.object({ text: z.string().trim().min(1).max(SAY_MAX_CHARS) });

export const playbackStartedSchema = z.object({
  turnId: z.string().min(1).max(64),
  /** ms from the first audio chunk's arrival in the renderer to the first sample at the output. */
  afterChunkMs: z.number().min(0).max(60_000),
});
export type PlaybackStarted = z.infer<typeof playbackStartedSchema>;

export const playbackStoppedSchema = z.object({
  turnId: z.string().min(1).max(64),
  /** Segments at least partly heard before the interruption. */
  segmentsHeard: z.number().int().min(0).max(10_000),
});
export type PlaybackStopped = z.infer<typeof playbackStoppedSchema>;

/** The turn has ended and its last audio source played to its end: Kiyo is silent again. */
export const playbackFinishedSchema = z.object({ turnId: z.string().min(1).max(64) });
export type PlaybackFinished = z.infer<typeof playbackFinishedSchema>;

export type SayResult = { ok: true; turnId: string } | { ok: false; error: string };

/**
 * Which page the bridge serves: `desktop` is the user's own overlay window (chat input, messages);
 * `stream` is the OBS/browser page an audience sees (avatar and subtitles only).
 */
export type BridgeKind = 'desktop' | 'stream';

/** What the preload exposes as `window.kiyo` (and what the browser/OBS transport implements). */
export interface KiyoBridge {
  readonly kind: BridgeKind;
  say(text: string): Promise<SayResult>;
  cancel(): void;
  reportPlaybackStarted(report: PlaybackStarted): void;
  reportPlaybackStopped(report: PlaybackStopped): void;
  reportPlaybackFinished(report: PlaybackFinished): void;
  /** Subscribes to pipeline events; returns the unsubscribe function. */
  onEvent(listener: (event: PipelineEvent) => void): () => void;
  /** Subscribes to overlay UI state (sent once on subscribe where the transport can). */
  onOverlayState(listener: (state: OverlayState) => void): () => void;
  /** Click-through keeps the avatar itself clickable: the page says when the pointer is over it. */
  setPointerOverAvatar(over: boolean): void;
  /**
   * The desktop window was hidden/minimised or shown again, so the page stops drawing while nobody
   * can see it. Only Electron has a window; the browser/OBS page relies on page visibility.
   */
  onWindowVisible?(listener: (visible: boolean) => void): () => void;
  /**
   * The ear (desktop overlay only: the microphone is granted to that page alone, and the stream
   * page has none of these). Main validates with `utteranceSchema` and runs a voice turn.
   */
  sendUtterance?(utterance: Utterance): void;
  retryUtterance?(): void;
  onVoiceInput?(listener: (settings: VoiceInputSettings) => void): () => void;
  onPushToTalk?(listener: (down: boolean) => void): () => void;
  reportVoiceStatus?(status: VoiceStatus): void;
  /**
   * The stream page only: the desktop ear's state, sent while the user has asked for it on the OBS
   * page (`listen.showStateOnStream`); nothing arrives otherwise.
   */
  onEarState?(listener: (state: EarState) => void): () => void;
  /** Desktop overlay only: Preferences asks to preview an expression or motion on the avatar. */
  onAvatarPreview?(listener: (action: EmotionAction) => void): () => void;
}
