import { describe, expect, it, vi } from 'vitest';

// The real 'electron' module in Node is only the path of a binary it tries to download.
vi.mock('electron', () => ({
  app: { on: vi.fn(), off: vi.fn() },
  globalShortcut: { register: vi.fn(), unregister: vi.fn() },
}));

const { registerHotkeys } = await import('../../src/main/shell/hotkeys');
const { createLogger } = await import('../../src/main/pipeline/logger');

/** Accepts everything, like Electron does for a bare letter: the check must be Kiyo's own. */
function permissiveRegistry() {
  const active = new Set<string>();
  return {
    active,
    register: (accelerator: string) => (active.add(accelerator), true),
    unregister: (accelerator: string) => void active.delete(accelerator),
  };
}

const handlers = () => ({
  toggleOverlay: vi.fn(),
  toggleClickThrough: vi.fn(),
  toggleChatInput: vi.fn(),
  openPreferences: vi.fn(),
  pushToTalk: vi.fn(),
});

function register(accelerator: string) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (_level, line) => lines.push(line) });
  const registry = permissiveRegistry();
  const result = registerHotkeys(handlers(), logger, {
    registry,
    accelerators: { toggleOverlay: accelerator },
  });
  result.unregister();
  return { result, lines, registry };
}

describe('a global shortcut needs a modifier', () => {
  it.each(['K', 'a', 'Space', 'Enter', 'Shift+K', 'Escape', 'F25', '5'])(
    '"%s" is refused with a plain reason (it would swallow ordinary typing)',
    (accelerator) => {
      const { result, lines } = register(accelerator);
      expect(result.registered.toggleOverlay).toBeUndefined();
      expect(result.failed).toEqual([
        {
          action: 'toggleOverlay',
          accelerator,
          reason:
            'a shortcut needs Ctrl, Alt, Cmd or Super with the key (only F1 to F24 may be used alone), or it would take that key from every other app',
        },
      ]);
      expect(lines.join('\n')).toContain(
        `global shortcut ${accelerator} (show or hide the overlay) is unavailable`,
      );
    },
  );

  it.each([
    'CommandOrControl+Shift+K',
    'Alt+K',
    'Ctrl+Space',
    'Super+1',
    'Cmd+Shift+P',
    'F1',
    'F9',
    'F24',
    'Shift+F5',
  ])('"%s" is accepted', (accelerator) => {
    const { result } = register(accelerator);
    expect(result.registered.toggleOverlay).toBe(accelerator);
    expect(result.failed).toEqual([]);
  });
});
