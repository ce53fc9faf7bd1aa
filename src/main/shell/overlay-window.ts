import { ipcMain, screen, type BrowserWindow, type IpcMainEvent } from 'electron';
import {
  FRAME_RATE_CAPS,
  IPC,
  pointerOverAvatarSchema,
  type FrameRateCap,
  type OverlayState,
} from '../../shared/ipc';
import {
  emotionMapSchema,
  withEmotionMap,
  type EmotionAction,
  type EmotionMap,
} from '../../shared/emotion-map';
import type { Logger } from '../pipeline/logger';
import { clampRenderScale, clampScale, type OverlayStateStore } from './overlay-state';
import { createSecureWindow, isTrustedSender } from './secure-window';
import { clampToDisplays, sameRect, type Rect, type SavedBounds } from './window-bounds';

const OVERLAY_DEFAULT_SIZE = { width: 400, height: 600 } as const;
/** Dragging fires move events continuously on some platforms; one write per gesture is enough. */
const SAVE_BOUNDS_DELAY_MS = 500;

export interface OverlayWindowOptions {
  logger: Logger;
  store: OverlayStateStore;
  defaultSize?: { width: number; height: number };
  /** Show the window once its page has rendered (default true); false starts hidden, in the tray. */
  showWhenReady?: boolean;
}

export interface OverlayWindow {
  readonly window: BrowserWindow;
  show(): void;
  hide(): void;
  toggleVisible(): void;
  isVisible(): boolean;
  setClickThrough(on: boolean): void;
  toggleClickThrough(): void;
  setChatInputVisible(visible: boolean): void;
  toggleChatInput(): void;
  setSubtitles(on: boolean): void;
  toggleSubtitles(): void;
  /** A short, friendly status on the OBS page (off: avatar and subtitles only). */
  setStreamStatus(on: boolean): void;
  setScale(scale: number): void;
  setAlwaysOnTop(on: boolean): void;
  /** Frames per second the avatar draws at, at most; a value not offered is ignored. */
  setFrameRateCap(fps: FrameRateCap): void;
  /** 0.5 – 1 of the window's device pixels. */
  setRenderScale(scale: number): void;
  /** While she speaks, the avatar draws about 8 frames a second (off: every frame the cap allows). */
  setLightLipSync(on: boolean): void;
  /** A user model folder and its model file; ('', '') = the bundled avatar. */
  setModel(folder: string, entry: string): void;
  /** The emotion map of the model shown now; other models keep theirs. An invalid map is ignored. */
  setEmotionMap(map: EmotionMap): void;
  /** Plays an expression or motion on the avatar now (Preferences' preview). */
  previewAvatar(action: EmotionAction): void;
  state(): OverlayState;
  /** Called after any state or visibility change (the tray rebuilds its menu); returns unsubscribe. */
  onChange(listener: () => void): () => void;
}

/**
 * The transparent, always-on-top avatar window. The page is not loaded here: call
 * `loadPage(overlay.window, 'index.html')` after wiring the IPC handlers.
 */
export function createOverlayWindow(options: OverlayWindowOptions): OverlayWindow {
  const log = options.logger.child('overlay');
  const { store } = options;
  const defaultSize = options.defaultSize ?? OVERLAY_DEFAULT_SIZE;
  let state = store.loadOverlay();
  let pointerOverAvatar = false;

  const saved = store.loadBounds();
  const initial = placement(saved, defaultSize);
  let displayId = screen.getDisplayMatching(initial).id;
  if (saved?.displayId !== undefined && saved.displayId !== displayId) {
    log.info(`display ${saved.displayId} is gone, overlay placed on display ${displayId}`);
  }

  const window = createSecureWindow({
    ...initial,
    title: 'Kiyo',
    show: false,
    frame: false,
    transparent: true,
    backgroundColor: '#00000000',
    hasShadow: false,
    alwaysOnTop: state.alwaysOnTop,
    skipTaskbar: true,
    resizable: true,
    // An invisible window filling the screen (double-click on a drag region, Win+Up) would eat every click.
    maximizable: false,
    fullscreenable: false,
    minWidth: 160,
    minHeight: 200,
  });
  // The constructor's alwaysOnTop uses the 'floating' level, which fullscreen apps and the macOS menu bar cover.
  const applyAlwaysOnTop = () => {
    if (!window.isDestroyed()) window.setAlwaysOnTop(state.alwaysOnTop, 'screen-saver');
  };
  applyAlwaysOnTop();
  // Called once only: on macOS it briefly hides the dock icon while it changes the process type.
  window.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });

  const listeners = new Set<() => void>();
  const emit = () => {
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        log.error('overlay change listener failed:', error);
      }
    }
  };
  const sendState = () => {
    if (!window.isDestroyed()) window.webContents.send(IPC.overlayState, state);
  };

  // `forward: true` keeps mousemove events coming while clicks pass through, which is how the page
  // notices the pointer over the avatar (macOS and Windows; on Linux click-through is all or nothing).
  const applyMouseEvents = () => {
    if (window.isDestroyed()) return;
    if (state.clickThrough && !pointerOverAvatar) window.setIgnoreMouseEvents(true, { forward: true });
    else window.setIgnoreMouseEvents(false);
  };
  applyMouseEvents();

  const update = (patch: Partial<OverlayState>) => {
    const next = { ...state, ...patch };
    const changed = (Object.keys(next) as (keyof OverlayState)[]).some((key) => next[key] !== state[key]);
    if (!changed) return;
    state = next;
    store.saveOverlay(state);
    applyMouseEvents();
    applyAlwaysOnTop();
    sendState();
    emit();
  };

  let saveTimer: NodeJS.Timeout | undefined;
  const saveBoundsNow = () => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (window.isDestroyed()) return;
    const bounds = window.getBounds();
    displayId = screen.getDisplayMatching(bounds).id;
    store.saveBounds({ ...bounds, displayId });
  };
  const scheduleSave = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveBoundsNow, SAVE_BOUNDS_DELAY_MS);
  };
  // 'moved'/'resized' fire once per gesture but only on macOS and Windows; 'move'/'resize' cover Linux.
  window.on('moved', scheduleSave);
  window.on('resized', scheduleSave);
  window.on('move', scheduleSave);
  window.on('resize', scheduleSave);

  const reclamp = () => {
    if (window.isDestroyed()) return;
    const current = window.getBounds();
    // The id remembered from the last save, not getDisplayMatching: after an unplug that would
    // already answer with whichever display the OS moved the (possibly off-screen) window to.
    const next = placement({ ...current, displayId }, defaultSize);
    if (!sameRect(current, next)) {
      log.info('display layout changed, moving the overlay back on screen');
      window.setBounds(next);
    }
    scheduleSave();
  };
  screen.on('display-removed', reclamp);
  screen.on('display-metrics-changed', reclamp);

  const onPointerOverAvatar = (event: IpcMainEvent, payload: unknown) => {
    if (window.isDestroyed() || event.sender !== window.webContents || !isTrustedSender(event.senderFrame))
      return;
    const report = pointerOverAvatarSchema.safeParse(payload);
    if (!report.success) return;
    pointerOverAvatar = report.data.over;
    applyMouseEvents();
  };
  ipcMain.on(IPC.pointerOverAvatar, onPointerOverAvatar);

  window.webContents.on('did-finish-load', () => {
    // A reloaded page has no pointer over anything yet.
    pointerOverAvatar = false;
    applyMouseEvents();
    sendState();
    sendVisible(); // a page loaded into a window started hidden (in the tray) must not draw
  });
  if (options.showWhenReady ?? true) window.once('ready-to-show', () => window.show());
  window.on('show', emit);
  window.on('hide', emit);
  window.on('close', () => {
    if (saveTimer) saveBoundsNow();
  });
  window.on('closed', () => {
    clearTimeout(saveTimer);
    screen.off('display-removed', reclamp);
    screen.off('display-metrics-changed', reclamp);
    ipcMain.off(IPC.pointerOverAvatar, onPointerOverAvatar);
    listeners.clear();
  });

  const isVisible = () => !window.isDestroyed() && window.isVisible() && !window.isMinimized();
  // The page stops drawing while nobody can see it. With backgroundThrottling (Electron's default,
  // left on) Chromium also marks the page hidden; this says it outright, whatever the platform.
  const sendVisible = () => {
    if (!window.isDestroyed()) window.webContents.send(IPC.windowVisible, isVisible());
  };
  window.on('show', sendVisible);
  window.on('hide', sendVisible);
  window.on('minimize', sendVisible);
  window.on('restore', sendVisible);
  const show = () => {
    if (window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
  };
  const hide = () => {
    if (!window.isDestroyed()) window.hide();
  };

  return {
    window,
    show,
    hide,
    toggleVisible: () => (isVisible() ? hide() : show()),
    isVisible,
    setClickThrough: (on) => update({ clickThrough: on }),
    toggleClickThrough: () => update({ clickThrough: !state.clickThrough }),
    setChatInputVisible: (visible) => update({ chatInputVisible: visible }),
    toggleChatInput: () => update({ chatInputVisible: !state.chatInputVisible }),
    setSubtitles: (on) => update({ subtitles: on }),
    toggleSubtitles: () => update({ subtitles: !state.subtitles }),
    setStreamStatus: (on) => update({ streamStatus: on }),
    setScale: (scale) => update({ scale: clampScale(scale, state.scale) }),
    setAlwaysOnTop: (on) => update({ alwaysOnTop: on }),
    setFrameRateCap: (fps) => {
      if (FRAME_RATE_CAPS.includes(fps)) update({ frameRateCap: fps });
    },
    setRenderScale: (scale) => update({ renderScale: clampRenderScale(scale, state.renderScale) }),
    setLightLipSync: (on) => update({ lightLipSync: on }),
    setModel: (folder, entry) => update({ modelFolder: folder, modelEntry: entry }),
    setEmotionMap: (map) => {
      if (emotionMapSchema.safeParse(map).success) update({ emotionMaps: withEmotionMap(state, map) });
    },
    previewAvatar: (action) => {
      if (!window.isDestroyed()) window.webContents.send(IPC.avatarPreview, action);
    },
    state: () => ({ ...state }),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function placement(saved: SavedBounds | undefined, defaultSize: { width: number; height: number }): Rect {
  const displays = screen.getAllDisplays().map((d) => ({ id: d.id, workArea: d.workArea }));
  return clampToDisplays(saved, displays, screen.getPrimaryDisplay().id, defaultSize);
}
