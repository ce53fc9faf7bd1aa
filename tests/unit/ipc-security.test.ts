import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Handlers registered with ipcMain.handle, by channel; Electron itself cannot run in unit tests. */
const handlers = vi.hoisted(() => new Map<string, (event: unknown, payload?: unknown) => unknown>());

/** What `app.isPackaged` says; a test flips it to play the installed app. */
const electronApp = vi.hoisted(() => ({ isPackaged: false }));

vi.mock('electron', () => ({
  app: electronApp,
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, payload?: unknown) => unknown) => {
      handlers.set(channel, handler);
    },
  },
  BrowserWindow: class {},
  shell: { openExternal: vi.fn() },
}));

const { isTrustedSender, loadPage, RENDERER_DIR } = await import('../../src/main/shell/secure-window');
const { registerPreferencesIpc } = await import('../../src/main/preferences/preferences-ipc');
const { PREFS_IPC } = await import('../../src/shared/preferences-api');
const { clientMessageSchema, decodeServerMessage, encodeServerMessage } =
  await import('../../src/shared/ws-protocol');
type PreferencesService = import('../../src/main/preferences/preferences-service').PreferencesService;
type ServerMessage = import('../../src/shared/ws-protocol').ServerMessage;

/** The app's own renderer folder (out/renderer next to out/main in a build) as a file URL. */
const BUILT = pathToFileURL(RENDERER_DIR).href;
const OVERLAY = { url: `${BUILT}/index.html`, parent: null };
const PREFS = { url: `${BUILT}/preferences.html`, parent: null };
const DEV = 'http://localhost:5173';

beforeEach(() => {
  vi.stubEnv('ELECTRON_RENDERER_URL', undefined);
  electronApp.isPackaged = false;
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('isTrustedSender', () => {
  it('accepts the main frame of our built pages', () => {
    expect(isTrustedSender(OVERLAY)).toBe(true);
    expect(isTrustedSender(OVERLAY, 'index.html')).toBe(true);
    expect(isTrustedSender(PREFS, 'preferences.html')).toBe(true);
  });

  it("accepts only the app's own renderer folder, not any file://…/renderer/…", () => {
    // Where the installed app lives: the same page in another renderer folder is someone else's file.
    const installed = '/opt/Kiyo/resources/app.asar/out/renderer';
    const location = { dir: installed };
    expect(
      isTrustedSender({ url: `file://${installed}/index.html`, parent: null }, 'index.html', location),
    ).toBe(true);
    expect(
      isTrustedSender(
        { url: 'file:///opt/Kiyo/resources/app.asar/out/renderer/%69ndex.html', parent: null },
        'index.html',
        location,
      ),
    ).toBe(true);
    for (const url of [
      'file:///home/me/Downloads/renderer/index.html',
      'file:///tmp/evil/out/renderer/index.html',
      'file:///opt/Kiyo/resources/app.asar/out/renderer/../../evil/renderer/index.html',
      'file:///opt/Kiyo/resources/app.asar/out/renderer-evil/index.html',
      'file:///C:/Program%20Files/Kiyo/out/renderer/index.html',
      'file://evil.example/opt/Kiyo/resources/app.asar/out/renderer/index.html',
      `${BUILT}/index.html`,
    ]) {
      expect(isTrustedSender({ url, parent: null }, 'index.html', location), url).toBe(false);
      expect(isTrustedSender({ url, parent: null }, undefined, location), url).toBe(false);
    }
    // Our own folder but outside it, or a subfolder a model could be copied into.
    expect(isTrustedSender({ url: `${BUILT}/../index.html`, parent: null })).toBe(false);
    expect(isTrustedSender({ url: `${BUILT}/custom-model/index.html`, parent: null })).toBe(false);
  });

  it('rejects a missing frame and subframes, even of our own pages', () => {
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender({ url: OVERLAY.url, parent: OVERLAY })).toBe(false);
    expect(isTrustedSender({ url: OVERLAY.url, parent: undefined })).toBe(false);
  });

  it('rejects remote pages', () => {
    for (const url of [
      'https://evil.example/index.html',
      'http://evil.example/out/renderer/index.html',
      'https://evil.example/file:///out/renderer/index.html',
      'http://127.0.0.1:7377/token/index.html',
      'data:text/html,<script>1</script>',
      'about:blank',
      '',
    ])
      expect(isTrustedSender({ url, parent: null }), url).toBe(false);
  });

  it('rejects file:// URLs outside a renderer folder', () => {
    expect(isTrustedSender({ url: 'file:///home/me/Downloads/index.html', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'file:///opt/Kiyo/out/main/index.html', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/x/index.html?/renderer/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/x/index.html#/renderer/', parent: null })).toBe(false);
  });

  it('keeps each page to its own API', () => {
    expect(isTrustedSender(OVERLAY, 'preferences.html')).toBe(false);
    expect(isTrustedSender(PREFS, 'index.html')).toBe(false);
    expect(isTrustedSender({ url: `${BUILT}/xpreferences.html`, parent: null }, 'preferences.html')).toBe(
      false,
    );
  });

  it('ignores the query and the hash when matching the page', () => {
    expect(
      isTrustedSender({ url: `${PREFS.url}?tab=voice#advanced`, parent: null }, 'preferences.html'),
    ).toBe(true);
    expect(
      isTrustedSender({ url: `${OVERLAY.url}#/preferences.html`, parent: null }, 'preferences.html'),
    ).toBe(false);
    expect(
      isTrustedSender({ url: `${OVERLAY.url}?page=/preferences.html`, parent: null }, 'preferences.html'),
    ).toBe(false);
  });

  it('ignores ELECTRON_RENDERER_URL in the packaged app: its pages get no API', () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', DEV);
    const page = { url: `${DEV}/preferences.html`, parent: null };
    // In development the switch works, so the refusal below is the packaged check, not a typo.
    expect(isTrustedSender(page, 'preferences.html')).toBe(true);
    electronApp.isPackaged = true;
    expect(isTrustedSender(page, 'preferences.html')).toBe(false);
    expect(isTrustedSender(page)).toBe(false);
    expect(isTrustedSender(PREFS, 'preferences.html')).toBe(true);
  });

  it('accepts the dev server only while ELECTRON_RENDERER_URL names it', () => {
    const page = { url: `${DEV}/preferences.html`, parent: null };
    expect(isTrustedSender(page, 'preferences.html')).toBe(false);
    vi.stubEnv('ELECTRON_RENDERER_URL', DEV);
    expect(isTrustedSender(page, 'preferences.html')).toBe(true);
    expect(isTrustedSender(page, 'index.html')).toBe(false);
    expect(isTrustedSender({ url: `${DEV}/index.html`, parent: page }, 'index.html')).toBe(false);
    expect(isTrustedSender({ url: 'http://localhost:5173.evil.example/index.html', parent: null })).toBe(
      false,
    );
    expect(isTrustedSender({ url: 'http://localhost:5174/index.html', parent: null })).toBe(false);
  });
});

describe('loadPage', () => {
  const window = () => ({ loadURL: vi.fn(async () => {}), loadFile: vi.fn(async () => {}) });
  type Loadable = Parameters<typeof loadPage>[0];

  it('loads the dev server in development', async () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', DEV);
    const win = window();
    await loadPage(win as unknown as Loadable, 'index.html');
    expect(win.loadURL).toHaveBeenCalledWith(`${DEV}/index.html`);
    expect(win.loadFile).not.toHaveBeenCalled();
  });

  it('loads the built file in the packaged app, whatever ELECTRON_RENDERER_URL says', async () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'https://evil.example');
    electronApp.isPackaged = true;
    const win = window();
    await loadPage(win as unknown as Loadable, 'preferences.html');
    expect(win.loadURL).not.toHaveBeenCalled();
    expect(win.loadFile).toHaveBeenCalledWith(join(RENDERER_DIR, 'preferences.html'));
  });
});

describe('registerPreferencesIpc', () => {
  const service = {
    getSettings: vi.fn(() => ({ settings: true })),
    updateSettings: vi.fn(async () => ({ ok: true })),
    resetSettings: vi.fn(),
    listModels: vi.fn(),
    testConnection: vi.fn(),
    listVoices: vi.fn(),
    previewVoice: vi.fn(async () => ({ ok: true })),
    getOverlay: vi.fn(),
    updateOverlay: vi.fn(() => ({ scale: 2 })),
    getLatency: vi.fn(),
    getAdvanced: vi.fn(),
    setLogLevel: vi.fn(),
    openLogsFolder: vi.fn(),
  };
  const call = (channel: string, frame: unknown, ...payload: unknown[]) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ senderFrame: frame }, ...payload);
  };
  const serviceCalls = () => Object.values(service).reduce((n, fn) => n + fn.mock.calls.length, 0);

  beforeEach(() => {
    handlers.clear();
    for (const fn of Object.values(service)) fn.mockClear();
    registerPreferencesIpc(service as unknown as PreferencesService);
  });

  it('handles every preferences channel', () => {
    // main → renderer pushes have no handler.
    const pushes: string[] = [PREFS_IPC.changed, PREFS_IPC.voiceStatus];
    const invokeChannels = Object.values(PREFS_IPC).filter((c) => !pushes.includes(c));
    expect([...handlers.keys()].sort()).toEqual(invokeChannels.sort());
  });

  it('refuses calls from the overlay page, subframes, remote pages and destroyed frames', () => {
    const senders = [
      OVERLAY,
      { url: PREFS.url, parent: PREFS },
      { url: 'https://evil.example/preferences.html', parent: null },
      null,
    ];
    for (const frame of senders)
      for (const channel of handlers.keys())
        expect(() => call(channel, frame), `${channel} from ${JSON.stringify(frame)}`).toThrow(
          'not allowed from this page',
        );
    expect(serviceCalls()).toBe(0);
  });

  it('rejects invalid payloads before they reach the service', () => {
    const invalid: [string, unknown][] = [
      [PREFS_IPC.updateOverlay, { scale: 10 }],
      [PREFS_IPC.updateOverlay, { scale: 0.1 }],
      [PREFS_IPC.updateOverlay, { scale: 1, admin: true }],
      [PREFS_IPC.updateOverlay, { clickThrough: 'yes' }],
      [PREFS_IPC.updateOverlay, { lightLipSync: 'off' }],
      [PREFS_IPC.updateOverlay, null],
      [PREFS_IPC.setLogLevel, 'verbose'],
      [PREFS_IPC.setLogLevel, undefined],
      [PREFS_IPC.previewVoice, ''],
      [PREFS_IPC.previewVoice, '   '],
      [PREFS_IPC.previewVoice, 'a'.repeat(501)],
      [PREFS_IPC.previewVoice, { text: 'hello' }],
      [PREFS_IPC.updateSettings, 'llm.apiKey=x'],
      [PREFS_IPC.updateSettings, ['x']],
      [PREFS_IPC.getSettings, { all: true }],
      [PREFS_IPC.getSettings, null],
      [PREFS_IPC.openLogsFolder, '/etc'],
    ];
    for (const [channel, payload] of invalid)
      expect(() => call(channel, PREFS, payload), `${channel} ${JSON.stringify(payload)}`).toThrow(
        'invalid request',
      );
    expect(serviceCalls()).toBe(0);
  });

  it('passes valid calls on with the parsed payload', async () => {
    expect(call(PREFS_IPC.getSettings, PREFS)).toEqual({ settings: true });
    expect(service.getSettings).toHaveBeenCalledWith();

    expect(call(PREFS_IPC.updateOverlay, PREFS, { scale: 2, subtitles: false })).toEqual({ scale: 2 });
    expect(service.updateOverlay).toHaveBeenCalledWith({ scale: 2, subtitles: false });
    call(PREFS_IPC.updateOverlay, PREFS, { lightLipSync: false });
    expect(service.updateOverlay).toHaveBeenLastCalledWith({ lightLipSync: false });

    call(PREFS_IPC.setLogLevel, PREFS, 'debug');
    expect(service.setLogLevel).toHaveBeenCalledWith('debug');

    await call(PREFS_IPC.previewVoice, { url: `${PREFS.url}#voice`, parent: null }, '  Hello there  ');
    expect(service.previewVoice).toHaveBeenCalledWith('Hello there');
    await call(PREFS_IPC.previewVoice, PREFS, 'a'.repeat(500));
    expect(service.previewVoice).toHaveBeenLastCalledWith('a'.repeat(500));

    const patch = { llm: { model: 'gpt-x' } };
    await call(PREFS_IPC.updateSettings, PREFS, patch);
    expect(service.updateSettings).toHaveBeenCalledWith(patch);

    call(PREFS_IPC.openLogsFolder, PREFS);
    expect(service.openLogsFolder).toHaveBeenCalledTimes(1);
  });
});

describe('WebSocket protocol', () => {
  it('accepts well-formed client commands', () => {
    for (const message of [
      { type: 'say', text: 'hello' },
      { type: 'cancel' },
      { type: 'playback-started', turnId: 't1', afterChunkMs: 12 },
      { type: 'playback-stopped', turnId: 't1', segmentsHeard: 2 },
      { type: 'playback-finished', turnId: 't1' },
    ])
      expect(clientMessageSchema.safeParse(message).success, JSON.stringify(message)).toBe(true);
  });

  it('rejects unknown types, oversize text and junk', () => {
    for (const message of [
      { type: 'eval', code: 'process.exit()' },
      { type: 'update-settings', llm: { apiKey: 'x' } },
      { type: 'SAY', text: 'hello' },
      { type: 'say', text: 'a'.repeat(4001) },
      { type: 'say', text: '   ' },
      { type: 'say', text: 42 },
      { type: 'say' },
      { type: 'playback-started', turnId: '', afterChunkMs: 1 },
      { type: 'playback-started', turnId: 't1', afterChunkMs: -1 },
      { type: 'playback-finished', turnId: '' },
      { type: 'playback-finished' },
      // The desktop window's click-through report: a browser page has no such window.
      { type: 'pointer-over-avatar', over: true },
      { text: 'hello' },
      { type: ['say'], text: 'hello' },
      { type: { toString: 'say' }, text: 'hello' },
      'say',
      42,
      null,
      undefined,
      [],
      [{ type: 'cancel' }],
    ])
      expect(clientMessageSchema.safeParse(message).success, JSON.stringify(message)).toBe(false);
  });

  it('keeps exactly 4000 characters and drops unknown keys', () => {
    const parsed = clientMessageSchema.parse({ type: 'say', text: 'a'.repeat(4000), extra: 'x' });
    expect(parsed).toEqual({ type: 'say', text: 'a'.repeat(4000) });
  });

  it('round-trips an audio event as one binary frame, byte for byte', () => {
    const data = new Uint8Array(4096).map((_, i) => (i * 31 + 7) & 0xff);
    const message: ServerMessage = {
      type: 'pipeline',
      event: {
        type: 'audio',
        turnId: 'turn-ü-1',
        segmentIndex: 3,
        seq: 17,
        format: { codec: 'mp3' },
        data,
      },
    };
    const frame = encodeServerMessage(message);
    expect(frame).toBeInstanceOf(Uint8Array);
    const bytes = frame as Uint8Array;
    // A WebSocket delivers a fresh ArrayBuffer.
    const decoded = decodeServerMessage(new Uint8Array(bytes).buffer as ArrayBuffer);
    expect(decoded).toEqual(message);
    const event = decoded.type === 'pipeline' ? decoded.event : undefined;
    expect(event?.type === 'audio' && Buffer.from(event.data).equals(Buffer.from(data))).toBe(true);
  });

  it('round-trips JSON events and overlay state as text frames', () => {
    const messages: ServerMessage[] = [
      { type: 'pipeline', event: { type: 'text', turnId: 't1', delta: '"quoted" </script> ✨' } },
      {
        type: 'overlay-state',
        state: {
          chatInputVisible: true,
          clickThrough: false,
          subtitles: true,
          scale: 1.5,
          alwaysOnTop: false,
          modelFolder: '',
          modelEntry: '',
          frameRateCap: 15,
          renderScale: 0.75,
          lightLipSync: false,
          streamStatus: true,
          emotionMaps: { '': { joy: { expression: 'f04', motion: 'tap_body' } } },
        },
      },
    ];
    for (const message of messages) {
      const frame = encodeServerMessage(message);
      expect(typeof frame).toBe('string');
      expect(decodeServerMessage(frame as string)).toEqual(message);
    }
  });
});
