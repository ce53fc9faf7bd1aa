import { describe, expect, it, vi } from 'vitest';
import type { MenuItem, MenuItemConstructorOptions } from 'electron';

// The real 'electron' module in Node is only the path of a binary it tries to download.
vi.mock('electron', () => ({
  app: { on: vi.fn(), off: vi.fn() },
  globalShortcut: { register: vi.fn(), unregister: vi.fn() },
  Menu: {},
  Tray: class {},
  nativeImage: {},
}));

const { app } = await import('electron');
const { DEFAULT_HOTKEYS, overlayHotkeyHandlers, registerHotkeys } =
  await import('../../src/main/shell/hotkeys');
const { trayMenuTemplate } = await import('../../src/main/shell/tray');
const { createLogger } = await import('../../src/main/pipeline/logger');
const { DEFAULT_OVERLAY_STATE } = await import('../../src/main/shell/overlay-state');

function fakeRegistry(taken: string[] = []) {
  const active = new Map<string, () => void>();
  return {
    active,
    register(accelerator: string, callback: () => void) {
      if (accelerator.includes('Bogus')) throw new TypeError('conversion failure');
      if (taken.includes(accelerator)) return false;
      active.set(accelerator, callback);
      return true;
    },
    unregister(accelerator: string) {
      active.delete(accelerator);
    },
  };
}

function recordingLogger() {
  const lines: string[] = [];
  return { lines, logger: createLogger({ level: 'debug', sink: (_level, line) => lines.push(line) }) };
}

const handlers = () => ({
  toggleOverlay: vi.fn(),
  toggleClickThrough: vi.fn(),
  toggleChatInput: vi.fn(),
  openPreferences: vi.fn(),
  pushToTalk: vi.fn(),
});

describe('registerHotkeys', () => {
  it('registers the defaults, runs the handlers and unregisters on quit', () => {
    const registry = fakeRegistry();
    const h = handlers();
    const { registered, failed, unregister } = registerHotkeys(h, recordingLogger().logger, { registry });
    expect(registered).toEqual(DEFAULT_HOTKEYS);
    expect(failed).toEqual([]);
    registry.active.get('CommandOrControl+Shift+L')?.();
    expect(h.toggleClickThrough).toHaveBeenCalledOnce();
    expect(app.on).toHaveBeenCalledWith('will-quit', unregister);
    unregister();
    unregister();
    expect(registry.active.size).toBe(0);
  });

  it('logs shortcuts that another app owns or that are malformed, and keeps going', () => {
    const registry = fakeRegistry([DEFAULT_HOTKEYS.toggleOverlay]);
    const { lines, logger } = recordingLogger();
    const { registered, failed } = registerHotkeys(handlers(), logger, {
      registry,
      accelerators: { toggleChatInput: 'Ctrl+Bogus' },
    });
    expect(registered).toEqual({
      toggleClickThrough: DEFAULT_HOTKEYS.toggleClickThrough,
      openPreferences: DEFAULT_HOTKEYS.openPreferences,
      pushToTalk: DEFAULT_HOTKEYS.pushToTalk,
    });
    expect(failed.map((f) => [f.action, f.reason])).toEqual([
      ['toggleOverlay', 'another application has registered it'],
      ['toggleChatInput', expect.stringMatching(/^not a valid shortcut/)],
    ]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('WARN');
    expect(lines[0]).toContain('CommandOrControl+Shift+K');
  });

  it('skips switched-off shortcuts and refuses the same shortcut twice', () => {
    const registry = fakeRegistry();
    const { registered, failed } = registerHotkeys(handlers(), recordingLogger().logger, {
      registry,
      accelerators: { toggleClickThrough: '', toggleChatInput: 'commandorcontrol+shift+k' },
    });
    expect(registered).toEqual({
      toggleOverlay: DEFAULT_HOTKEYS.toggleOverlay,
      openPreferences: DEFAULT_HOTKEYS.openPreferences,
      pushToTalk: DEFAULT_HOTKEYS.pushToTalk,
    });
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reason).toMatch(/already used/);
  });

  it('a throwing handler is logged, not thrown into Electron', () => {
    const registry = fakeRegistry();
    const { lines, logger } = recordingLogger();
    const h = handlers();
    h.toggleOverlay.mockImplementation(() => {
      throw new Error('boom');
    });
    registerHotkeys(h, logger, { registry });
    expect(() => registry.active.get(DEFAULT_HOTKEYS.toggleOverlay)?.()).not.toThrow();
    expect(lines.some((l) => l.includes('ERROR') && l.includes('boom'))).toBe(true);
  });

  it('maps the actions to the overlay', () => {
    const overlay = { toggleVisible: vi.fn(), toggleClickThrough: vi.fn(), toggleChatInput: vi.fn() };
    const mapped = overlayHotkeyHandlers(overlay);
    mapped.toggleOverlay();
    mapped.toggleChatInput();
    expect(overlay.toggleVisible).toHaveBeenCalledOnce();
    expect(overlay.toggleChatInput).toHaveBeenCalledOnce();
  });
});

describe('trayMenuTemplate', () => {
  function fakeOverlay(visible: boolean) {
    return {
      isVisible: () => visible,
      toggleVisible: vi.fn(),
      setClickThrough: vi.fn(),
      setChatInputVisible: vi.fn(),
      setSubtitles: vi.fn(),
      state: () => ({ ...DEFAULT_OVERLAY_STATE, clickThrough: true }),
      onChange: () => () => {},
    };
  }
  const actions = () => ({ openPreferences: vi.fn(), quit: vi.fn() });
  const click = (item: MenuItemConstructorOptions | undefined, checked?: boolean) =>
    item?.click?.({ checked } as MenuItem, undefined, {} as never);
  const byLabel = (items: MenuItemConstructorOptions[], label: string) =>
    items.find((i) => i.label === label);

  it('shows the current state and labels the visibility item by what it will do', () => {
    const items = trayMenuTemplate(fakeOverlay(true), actions(), {
      toggleClickThrough: 'CommandOrControl+Shift+L',
    });
    expect(items.filter((i) => i.label).map((i) => [i.label, i.checked])).toEqual([
      ['Hide overlay', undefined],
      ['Click-through', true],
      ['Chat input', true],
      ['Subtitles', true],
      ['Preferences…', undefined],
      ['Quit Kiyo', undefined],
    ]);
    expect(byLabel(items, 'Click-through')).toMatchObject({
      accelerator: 'CommandOrControl+Shift+L',
      registerAccelerator: false,
    });
    expect(byLabel(items, 'Chat input')?.accelerator).toBeUndefined();
    expect(trayMenuTemplate(fakeOverlay(false), actions())[0]?.label).toBe('Show overlay');
  });

  it('sets the value a checkbox shows and calls the actions', () => {
    const overlay = fakeOverlay(true);
    const a = actions();
    const items = trayMenuTemplate(overlay, a);
    click(byLabel(items, 'Click-through'), false);
    click(byLabel(items, 'Subtitles'), false);
    click(byLabel(items, 'Hide overlay'));
    click(byLabel(items, 'Preferences…'));
    click(byLabel(items, 'Quit Kiyo'));
    expect(overlay.setClickThrough).toHaveBeenCalledWith(false);
    expect(overlay.setSubtitles).toHaveBeenCalledWith(false);
    expect(overlay.toggleVisible).toHaveBeenCalledOnce();
    expect(a.openPreferences).toHaveBeenCalledOnce();
    expect(a.quit).toHaveBeenCalledOnce();
  });
});
