import { vi } from 'vitest';
import type { KeyEvent, KeySource } from '../../src/main/shell/global-key-hook';

/** A key source driven by the test: `key()` is a key event of the system, `lose()` its hook dying. */
export function fakeKeySource(options: { failStart?: Error } = {}) {
  let onKey: ((e: KeyEvent) => void) | undefined;
  let onLost: ((reason: string) => void) | undefined;
  const source = {
    starts: 0,
    stops: 0,
    watched: [] as readonly number[],
    running: false,
    start: vi.fn(
      async (keycodes: readonly number[], key: (e: KeyEvent) => void, lost: (r: string) => void) => {
        source.starts += 1;
        if (options.failStart) throw options.failStart;
        source.watched = keycodes;
        onKey = key;
        onLost = lost;
        source.running = true;
      },
    ),
    stop() {
      source.stops += 1;
      source.running = false;
    },
    key(keycode: number, down: boolean, mods: Partial<Omit<KeyEvent, 'keycode' | 'down'>> = {}) {
      onKey?.({ keycode, down, ctrl: false, alt: false, shift: false, meta: false, ...mods });
    },
    lose(reason: string) {
      source.running = false;
      onLost?.(reason);
    },
  } satisfies KeySource & Record<string, unknown>;
  return source;
}
