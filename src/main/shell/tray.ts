import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { OverlayState } from '../../shared/ipc';
import type { HotkeyAction } from './hotkeys';

/** A 16×16 pink dot; a real icon set replaces it when the app gets its artwork. */
const TRAY_ICON_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAbElEQVR42q2TsQ0AIQhFnYTpKFnETdiHRahp7houIQbPKBavIf6nKDYlbhWyIihxV2JRYnPEa7ASoAeeCeZrUgH+BEdwFMBi5+wkEAV9I/zRo0AOBBIFdiCwq4JyC+VLLD9jeZCujPKVz7TNC89RnjMoo8T8AAAAAElFTkSuQmCC';

export interface TrayActions {
  openPreferences(): void;
  quit(): void;
  /** Present when browser/OBS mode is serving the overlay. */
  copyObsUrl?(): void;
  chooseModel?(): void;
  useDefaultModel?(): void;
}

/** What the tray needs from the overlay (OverlayWindow satisfies it). */
export interface TrayOverlay {
  isVisible(): boolean;
  toggleVisible(): void;
  setClickThrough(on: boolean): void;
  setChatInputVisible(visible: boolean): void;
  setSubtitles(on: boolean): void;
  state(): OverlayState;
  onChange(listener: () => void): () => void;
}

export interface KiyoTray {
  readonly tray: Tray;
  /** Redraws the menu (e.g. after the hotkeys shown next to its items changed). */
  rebuild(): void;
  destroy(): void;
}

/**
 * The tray menu. Checkbox items set the value they show instead of toggling, so a menu built from a
 * stale state can never flip a setting the wrong way. `hotkeys` only labels the items (the shortcuts
 * are global, registered in hotkeys.ts); pass the ones that actually registered.
 */
export function trayMenuTemplate(
  overlay: TrayOverlay,
  actions: TrayActions,
  hotkeys: Partial<Record<HotkeyAction, string>> = {},
): MenuItemConstructorOptions[] {
  const state = overlay.state();
  const shortcut = (action: HotkeyAction) =>
    hotkeys[action] ? { accelerator: hotkeys[action], registerAccelerator: false } : {};
  return [
    {
      label: overlay.isVisible() ? 'Hide overlay' : 'Show overlay',
      click: () => overlay.toggleVisible(),
      ...shortcut('toggleOverlay'),
    },
    { type: 'separator' },
    {
      label: 'Click-through',
      type: 'checkbox',
      checked: state.clickThrough,
      click: (item) => overlay.setClickThrough(item.checked),
      ...shortcut('toggleClickThrough'),
    },
    {
      label: 'Chat input',
      type: 'checkbox',
      checked: state.chatInputVisible,
      click: (item) => overlay.setChatInputVisible(item.checked),
      ...shortcut('toggleChatInput'),
    },
    {
      label: 'Subtitles',
      type: 'checkbox',
      checked: state.subtitles,
      click: (item) => overlay.setSubtitles(item.checked),
    },
    { type: 'separator' },
    ...(actions.chooseModel
      ? [
          { label: 'Choose avatar model…', click: () => actions.chooseModel?.() },
          { label: 'Use the default avatar', click: () => actions.useDefaultModel?.() },
        ]
      : []),
    ...(actions.copyObsUrl
      ? [
          {
            label: 'Copy OBS browser-source URL',
            click: () => actions.copyObsUrl?.(),
          } as MenuItemConstructorOptions,
        ]
      : []),
    { label: 'Preferences…', click: () => actions.openPreferences() },
    { label: 'Quit Kiyo', click: () => actions.quit() },
  ];
}

/** Keep the returned object referenced: a garbage-collected Tray disappears from the system tray. */
export function createTray(
  overlay: TrayOverlay,
  actions: TrayActions,
  options: { hotkeys?: () => Partial<Record<HotkeyAction, string>> } = {},
): KiyoTray {
  const tray = new Tray(nativeImage.createFromDataURL(TRAY_ICON_DATA_URL));
  tray.setToolTip('Kiyo');
  // Linux only picks up menu changes through a new setContextMenu, so the menu is rebuilt, not mutated.
  const rebuild = () => {
    if (!tray.isDestroyed())
      tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(overlay, actions, options.hotkeys?.())));
  };
  rebuild();
  // Windows opens the menu on right-click only; a left-click is the quick way back to a hidden overlay.
  if (process.platform === 'win32') tray.on('click', () => overlay.toggleVisible());
  const unsubscribe = overlay.onChange(rebuild);
  return {
    tray,
    rebuild,
    destroy() {
      unsubscribe();
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
