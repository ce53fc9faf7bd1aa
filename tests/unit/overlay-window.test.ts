import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Rect } from '../../src/main/shell/window-bounds';

/** Just enough of BrowserWindow for the overlay's logic; Electron itself cannot run in unit tests. */
class FakeWindow extends EventEmitter {
  static last: FakeWindow | undefined;
  bounds: Rect;
  visible = false;
  destroyed = false;
  ignoreMouse: [boolean, unknown?][] = [];
  alwaysOnTop: unknown[] = [];
  readonly webContents = Object.assign(new EventEmitter(), { sent: [] as unknown[][], send: vi.fn() });
  constructor(readonly options: Record<string, unknown>) {
    super();
    this.bounds = { x: options.x, y: options.y, width: options.width, height: options.height } as Rect;
    this.webContents.send.mockImplementation((...args: unknown[]) => this.webContents.sent.push(args));
    FakeWindow.last = this;
  }
  setAlwaysOnTop(...args: unknown[]) {
    this.alwaysOnTop = args;
  }
  setVisibleOnAllWorkspaces() {}
  setIgnoreMouseEvents(ignore: boolean, options?: unknown) {
    this.ignoreMouse.push(options === undefined ? [ignore] : [ignore, options]);
  }
  isDestroyed = () => this.destroyed;
  isVisible = () => this.visible;
  isMinimized = () => false;
  restore() {}
  show() {
    this.visible = true;
    this.emit('show');
  }
  hide() {
    this.visible = false;
    this.emit('hide');
  }
  getBounds = () => ({ ...this.bounds });
  setBounds(bounds: Rect) {
    this.bounds = { ...bounds };
  }
}

const displays = vi.hoisted(() => ({
  list: [] as { id: number; workArea: Rect }[],
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const screen = Object.assign(new Emitter(), {
    getAllDisplays: () => displays.list,
    getPrimaryDisplay: () => displays.list[0],
    getDisplayMatching: (r: Rect) =>
      displays.list.find((d) => r.x >= d.workArea.x && r.x < d.workArea.x + d.workArea.width) ??
      displays.list[0],
  });
  return { ipcMain: new Emitter(), screen };
});
vi.mock('../../src/main/shell/secure-window', () => ({
  createSecureWindow: (options: Record<string, unknown>) => new FakeWindow(options),
  isTrustedSender: (frame: { url: string } | null) => !!frame?.url.startsWith('file:///app/renderer/'),
}));

const { ipcMain, screen } = await import('electron');
const { createOverlayWindow } = await import('../../src/main/shell/overlay-window');
const { createMemoryOverlayStateStore, DEFAULT_OVERLAY_STATE } =
  await import('../../src/main/shell/overlay-state');
const { silentLogger } = await import('../../src/main/pipeline/logger');
const { IPC } = await import('../../src/shared/ipc');

const PRIMARY = { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } };
const SECOND = { id: 2, workArea: { x: 1920, y: 0, width: 1280, height: 1024 } };
const TRUSTED = { url: 'file:///app/renderer/index.html', parent: null };

function setup(initial?: Parameters<typeof createMemoryOverlayStateStore>[0]) {
  const store = createMemoryOverlayStateStore(initial);
  const overlay = createOverlayWindow({ logger: silentLogger, store });
  const win = FakeWindow.last!;
  const pointer = (over: unknown, frame: unknown = TRUSTED, sender: unknown = win.webContents) =>
    (ipcMain as unknown as EventEmitter).emit(IPC.pointerOverAvatar, { sender, senderFrame: frame }, over);
  return { store, overlay, win, pointer };
}

beforeEach(() => {
  vi.useFakeTimers();
  displays.list = [PRIMARY, SECOND];
});
afterEach(() => {
  FakeWindow.last?.emit('closed');
  vi.useRealTimers();
});

describe('createOverlayWindow', () => {
  it('creates a transparent, frameless, always-on-top window at the default place', () => {
    const { win } = setup();
    expect(win.options).toMatchObject({
      frame: false,
      transparent: true,
      backgroundColor: '#00000000',
      alwaysOnTop: true,
      skipTaskbar: true,
      hasShadow: false,
      resizable: true,
      x: 1920 - 400 - 24,
      y: 1040 - 600 - 24,
      width: 400,
      height: 600,
    });
    expect(win.alwaysOnTop).toEqual([true, 'screen-saver']);
  });

  it('restores saved bounds on a display that still exists', () => {
    const { win } = setup({ bounds: { x: 2000, y: 100, width: 300, height: 500, displayId: 2 } });
    expect(win.bounds).toEqual({ x: 2000, y: 100, width: 300, height: 500 });
  });

  it('lets the avatar stay clickable while click-through is on', () => {
    const { overlay, win, pointer } = setup();
    expect(win.ignoreMouse.at(-1)).toEqual([false]);
    overlay.setClickThrough(true);
    expect(win.ignoreMouse.at(-1)).toEqual([true, { forward: true }]);
    pointer({ over: true });
    expect(win.ignoreMouse.at(-1)).toEqual([false]);
    pointer({ over: false });
    expect(win.ignoreMouse.at(-1)).toEqual([true, { forward: true }]);
    overlay.toggleClickThrough();
    expect(win.ignoreMouse.at(-1)).toEqual([false]);
  });

  it('ignores pointer reports from untrusted frames, other windows and malformed payloads', () => {
    const { overlay, win, pointer } = setup();
    overlay.setClickThrough(true);
    const count = win.ignoreMouse.length;
    pointer({ over: true }, { url: 'https://evil.example/', parent: null });
    pointer({ over: true }, TRUSTED, new EventEmitter());
    pointer({ over: 'yes' });
    pointer(undefined);
    expect(win.ignoreMouse.length).toBe(count);
  });

  it('persists state, sends it to the page and notifies listeners on every change only', () => {
    const { overlay, win, store } = setup();
    const onChange = vi.fn();
    overlay.onChange(onChange);
    overlay.toggleChatInput();
    overlay.setSubtitles(true); // unchanged
    overlay.setScale(50);
    expect(overlay.state()).toEqual({ ...DEFAULT_OVERLAY_STATE, chatInputVisible: false, scale: 3 });
    expect(store.loadOverlay()).toEqual(overlay.state());
    expect(onChange).toHaveBeenCalledTimes(2);
    expect(win.webContents.sent.at(-1)).toEqual([IPC.overlayState, overlay.state()]);
    win.webContents.sent.length = 0;
    win.webContents.emit('did-finish-load');
    expect(win.webContents.sent).toEqual([
      [IPC.overlayState, overlay.state()],
      [IPC.windowVisible, false], // loaded while still hidden: the page must not draw yet
    ]);
  });

  it('tells the page when the window is hidden, minimised, restored or shown, so it stops drawing', () => {
    const { overlay, win } = setup();
    const visibility = () =>
      win.webContents.sent.filter(([channel]) => channel === IPC.windowVisible).map(([, v]) => v);
    win.emit('ready-to-show');
    overlay.hide();
    win.isMinimized = () => true;
    win.visible = true;
    win.emit('minimize');
    win.isMinimized = () => false;
    win.emit('restore');
    expect(visibility()).toEqual([true, false, false, true]);
  });

  it('takes the frame-rate caps offered and a render scale in range, and nothing else', () => {
    const { overlay } = setup();
    overlay.setFrameRateCap(15);
    overlay.setFrameRateCap(45 as 15);
    overlay.setRenderScale(0.1);
    expect(overlay.state()).toMatchObject({ frameRateCap: 15, renderScale: 0.5 });
    overlay.setRenderScale(Number.NaN);
    overlay.setRenderScale(0.756);
    expect(overlay.state()).toMatchObject({ frameRateCap: 15, renderScale: 0.76 });
  });

  it('persists light lip sync (on by default) and sends it to the page, which applies it', () => {
    const { overlay, store, win } = setup();
    const sentStates = () =>
      win.webContents.sent
        .filter(([channel]) => channel === IPC.overlayState)
        .map(([, state]) => (state as { lightLipSync: boolean }).lightLipSync);
    expect(overlay.state().lightLipSync).toBe(true);
    overlay.setLightLipSync(false);
    expect(overlay.state().lightLipSync).toBe(false);
    expect(store.loadOverlay().lightLipSync).toBe(false);
    expect(sentStates().at(-1)).toBe(false);
    overlay.setLightLipSync(true);
    expect(store.loadOverlay().lightLipSync).toBe(true);
    expect(sentStates().at(-1)).toBe(true);
  });

  it('starts with light lip sync as it was saved, and sends that to a page that loads', () => {
    const { overlay, win } = setup({ overlay: { ...DEFAULT_OVERLAY_STATE, lightLipSync: false } });
    expect(overlay.state().lightLipSync).toBe(false);
    win.webContents.emit('did-finish-load');
    const sent = win.webContents.sent.filter(([channel]) => channel === IPC.overlayState).at(-1);
    expect(sent?.[1]).toMatchObject({ lightLipSync: false });
  });

  it("keeps each model's emotion map, persists and sends it, refuses an invalid one, and sends previews", () => {
    const { overlay, store, win } = setup();
    overlay.setEmotionMap({ joy: { expression: 'f03' } });
    overlay.setModel('/models/haru', 'haru.model3.json');
    overlay.setEmotionMap({ joy: { expression: 'Smile', motion: 'TapBody' } });
    // Invalid (a name with upper case, a key the page does not know): ignored, nothing changes.
    overlay.setEmotionMap({ JOY: { expression: 'x' } } as never);
    overlay.setEmotionMap({ joy: { sound: 'x.mp3' } } as never);
    const maps = {
      '': { joy: { expression: 'f03' } },
      '/models/haru': { joy: { expression: 'Smile', motion: 'TapBody' } },
    };
    expect(overlay.state().emotionMaps).toEqual(maps);
    expect(store.loadOverlay().emotionMaps).toEqual(maps);
    const sentStates = win.webContents.sent.filter(([channel]) => channel === IPC.overlayState);
    expect(sentStates.at(-1)?.[1]).toMatchObject({ emotionMaps: maps });
    overlay.previewAvatar({ motion: 'TapBody' });
    expect(win.webContents.sent.at(-1)).toEqual([IPC.avatarPreview, { motion: 'TapBody' }]);
  });

  it('shows, hides and toggles, telling listeners', () => {
    const { overlay, win } = setup();
    const onChange = vi.fn();
    overlay.onChange(onChange);
    win.emit('ready-to-show');
    expect(overlay.isVisible()).toBe(true);
    overlay.toggleVisible();
    expect(overlay.isVisible()).toBe(false);
    expect(onChange).toHaveBeenCalledTimes(2);
  });

  it('saves the bounds with their display once the window stops moving', () => {
    const { win, store } = setup();
    win.bounds = { x: 2100, y: 50, width: 400, height: 600 };
    win.emit('move');
    vi.advanceTimersByTime(300);
    win.emit('moved');
    vi.advanceTimersByTime(300);
    expect(store.loadBounds()).toBeUndefined();
    vi.advanceTimersByTime(300);
    expect(store.loadBounds()).toEqual({ x: 2100, y: 50, width: 400, height: 600, displayId: 2 });
  });

  it('moves back to the primary display when its display is unplugged', () => {
    const { win, store } = setup({ bounds: { x: 2100, y: 50, width: 400, height: 600, displayId: 2 } });
    displays.list = [PRIMARY];
    (screen as unknown as EventEmitter).emit('display-removed');
    expect(win.bounds).toEqual({ x: 1496, y: 416, width: 400, height: 600 });
    vi.advanceTimersByTime(600);
    expect(store.loadBounds()).toEqual({ x: 1496, y: 416, width: 400, height: 600, displayId: 1 });
  });

  it('stops listening to the screen and IPC once closed', () => {
    const { win } = setup();
    win.emit('closed');
    expect((screen as unknown as EventEmitter).listenerCount('display-removed')).toBe(0);
    expect((ipcMain as unknown as EventEmitter).listenerCount(IPC.pointerOverAvatar)).toBe(0);
  });
});
