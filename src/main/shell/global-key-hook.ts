import { MODIFIER_KEYCODES, watchedKeycodes, type KeyBinding } from './global-key-hook-keys';

/**
 * Hold-to-talk needs a key's release, which Electron's global shortcuts never report; a global
 * key hook (uiohook-napi) reports both. This file holds the contract: a raw key source (the hook
 * process, or a fake in the tests) and the watcher of one configured key on top of it.
 */

/** One key going down or up, as the source reports it: the code and the modifiers held. */
export interface KeyEvent {
  keycode: number;
  down: boolean;
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
  meta: boolean;
}

/** Where global key events come from (global-key-hook-process.ts; a fake in tests). */
export interface KeySource {
  /**
   * Starts watching `keycodes` (only those are reported). Resolves when the hook runs; rejects
   * with a plain reason when the system refuses a global hook (no display, no permission…).
   */
  start(
    keycodes: readonly number[],
    onKey: (event: KeyEvent) => void,
    onLost: (reason: string) => void,
  ): Promise<void>;
  stop(): void;
}

/** One configured key: down when it is pressed with its modifiers, up when it or one of them is released. */
export interface GlobalKeyHook {
  onDown(listener: () => void): void;
  onUp(listener: () => void): void;
  /** The hook stopped by itself (its process died): the key counts as released. */
  onLost(listener: (reason: string) => void): void;
  start(): Promise<void>;
  stop(): void;
}

const MODIFIERS = ['ctrl', 'alt', 'shift', 'meta'] as const;

/** Watches one binding on a key source. Auto-repeat key-downs of a held key are not reported. */
export function watchKey(binding: KeyBinding, source: KeySource): GlobalKeyHook {
  const downs: (() => void)[] = [];
  const ups: (() => void)[] = [];
  const losts: ((reason: string) => void)[] = [];
  // Releasing any modifier the binding needs ends the hold, like releasing the key itself.
  const releasing = new Set<number>([
    binding.keycode,
    ...MODIFIERS.filter((m) => binding[m]).flatMap((m) => MODIFIER_KEYCODES[m]),
  ]);
  let held = false;
  let running = false;
  const release = () => {
    if (!held) return;
    held = false;
    for (const listener of ups) listener();
  };
  const onKey = (event: KeyEvent) => {
    if (!running) return;
    if (event.down) {
      // A held key repeats its key-down: the first one counts.
      if (held || event.keycode !== binding.keycode) return;
      if (MODIFIERS.some((m) => event[m] !== binding[m])) return;
      held = true;
      for (const listener of downs) listener();
    } else if (releasing.has(event.keycode)) release();
  };
  return {
    onDown: (listener) => downs.push(listener),
    onUp: (listener) => ups.push(listener),
    onLost: (listener) => losts.push(listener),
    async start() {
      running = true;
      try {
        await source.start(watchedKeycodes(binding), onKey, (reason) => {
          if (!running) return;
          running = false;
          release();
          for (const listener of losts) listener(reason);
        });
      } catch (error) {
        running = false;
        throw error;
      }
    },
    stop() {
      if (!running) return;
      running = false;
      release();
      source.stop();
    },
  };
}
