import { app, globalShortcut } from 'electron';
import type { Logger } from '../pipeline/logger';

import { HOTKEY_ACTIONS } from '../../shared/preferences-api';

export type HotkeyAction = (typeof HOTKEY_ACTIONS)[number];

/** Electron accelerator syntax; shown in preferences and next to the tray menu items. */
export const DEFAULT_HOTKEYS: Readonly<Record<HotkeyAction, string>> = Object.freeze({
  toggleOverlay: 'CommandOrControl+Shift+K',
  toggleClickThrough: 'CommandOrControl+Shift+L',
  toggleChatInput: 'CommandOrControl+Shift+Space',
  openPreferences: 'CommandOrControl+Shift+P',
  pushToTalk: 'CommandOrControl+Shift+Y',
});

export const HOTKEY_LABELS: Readonly<Record<HotkeyAction, string>> = Object.freeze({
  toggleOverlay: 'Show or hide the overlay',
  toggleClickThrough: 'Turn click-through on or off',
  toggleChatInput: 'Show or hide the chat input',
  openPreferences: 'Open preferences',
  pushToTalk: 'Push to talk: hold to talk (or press to start, press again to send)',
});

/** The part of Electron's globalShortcut used here, so registration can be tested with a fake. */
export interface ShortcutRegistry {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export interface HotkeyFailure {
  action: HotkeyAction;
  accelerator: string;
  reason: string;
}

export interface HotkeyRegistration {
  /** Action → accelerator for the shortcuts that are active. */
  registered: Partial<Record<HotkeyAction, string>>;
  failed: HotkeyFailure[];
  unregister(): void;
}

// Shift alone does not count: Shift+K would still take capital K from every other app.
const MODIFIERS = new Set([
  'command',
  'cmd',
  'control',
  'ctrl',
  'commandorcontrol',
  'cmdorctrl',
  'alt',
  'option',
  'altgr',
  'super',
  'meta',
]);

/**
 * Why `accelerator` cannot be a global shortcut, or undefined. A global shortcut takes its key from
 * every application, so a bare letter (or Space, Enter…) would swallow ordinary typing everywhere:
 * it needs a real modifier, unless it is a function key, which nobody types in text.
 */
function shortcutProblem(accelerator: string): string | undefined {
  const parts = accelerator.split('+').map((part) => part.trim().toLowerCase());
  const key = parts.at(-1) ?? '';
  if (parts.slice(0, -1).some((part) => MODIFIERS.has(part)) || /^f([1-9]|1\d|2[0-4])$/.test(key))
    return undefined;
  return 'a shortcut needs Ctrl, Alt, Cmd or Super with the key (only F1 to F24 may be used alone), or it would take that key from every other app';
}

/** The handlers for an overlay; a structural type so this module does not depend on the window module. */
export function overlayHotkeyHandlers(
  overlay: {
    toggleVisible(): void;
    toggleClickThrough(): void;
    toggleChatInput(): void;
  },
  openPreferences: () => void = () => {},
): Record<Exclude<HotkeyAction, 'pushToTalk'>, () => void> {
  return {
    toggleOverlay: () => overlay.toggleVisible(),
    toggleClickThrough: () => overlay.toggleClickThrough(),
    toggleChatInput: () => overlay.toggleChatInput(),
    openPreferences,
  };
}

/**
 * Registers the global shortcuts. A shortcut another app already owns (or a malformed one from
 * preferences) is logged and reported in `failed`; the app runs on without it. Everything is
 * unregistered on 'will-quit', or earlier through `unregister()` (to re-register new preferences).
 */
export function registerHotkeys(
  handlers: Record<HotkeyAction, () => void>,
  logger: Logger,
  options: { accelerators?: Partial<Record<HotkeyAction, string>>; registry?: ShortcutRegistry } = {},
): HotkeyRegistration {
  const registry = options.registry ?? globalShortcut;
  const accelerators = { ...DEFAULT_HOTKEYS, ...options.accelerators };
  const registered: Partial<Record<HotkeyAction, string>> = {};
  const failed: HotkeyFailure[] = [];
  const owner = new Map<string, HotkeyAction>();

  for (const action of Object.keys(DEFAULT_HOTKEYS) as HotkeyAction[]) {
    const accelerator = accelerators[action].trim();
    if (!accelerator) continue; // switched off in preferences
    const key = accelerator.toLowerCase();
    const taken = owner.get(key);
    const fail = (reason: string) => {
      failed.push({ action, accelerator, reason });
      logger.warn(
        `global shortcut ${accelerator} (${HOTKEY_LABELS[action].toLowerCase()}) is unavailable: ${reason}. ` +
          'Use the tray menu instead, or pick another shortcut.',
      );
    };
    if (taken) {
      fail(`already used for "${HOTKEY_LABELS[taken].toLowerCase()}"`);
      continue;
    }
    const problem = shortcutProblem(accelerator);
    if (problem) {
      fail(problem);
      continue;
    }
    const handler = handlers[action];
    let ok: boolean;
    try {
      ok = registry.register(accelerator, () => {
        try {
          handler();
        } catch (error) {
          logger.error(`shortcut ${accelerator} failed:`, error);
        }
      });
    } catch (error) {
      fail(`not a valid shortcut (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    if (!ok) {
      fail('another application has registered it');
      continue;
    }
    owner.set(key, action);
    registered[action] = accelerator;
  }

  let active = true;
  const unregister = () => {
    if (!active) return;
    active = false;
    for (const accelerator of Object.values(registered)) registry.unregister(accelerator);
    app.off('will-quit', unregister);
  };
  app.on('will-quit', unregister);
  return { registered, failed, unregister };
}
