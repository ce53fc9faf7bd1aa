import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** ipcMain as the modules under test see it: listeners by channel. */
const ipc = vi.hoisted(() => ({
  listeners: new Map<string, (event: unknown, payload?: unknown) => void>(),
}));

vi.mock('electron', () => ({
  app: { isPackaged: false },
  ipcMain: {
    on: (channel: string, listener: (event: unknown, payload?: unknown) => void) =>
      ipc.listeners.set(channel, listener),
    off: (channel: string, listener: unknown) => {
      if (ipc.listeners.get(channel) === listener) ipc.listeners.delete(channel);
    },
  },
  BrowserWindow: class {},
  shell: { openExternal: vi.fn() },
  // The real key hook process is never started here: every test passes a fake key source.
  utilityProcess: {
    fork: () => {
      throw new Error('no utility process in the unit tests');
    },
  },
}));

const { registerVoiceIpc } = await import('../../src/main/shell/voice-ipc');
const { PushToTalk } = await import('../../src/main/shell/push-to-talk');
const { syncVoiceInput } = await import('../../src/main/shell/voice-input-sync');
const { RENDERER_DIR } = await import('../../src/main/shell/secure-window');
const { IPC } = await import('../../src/shared/ipc');
const { voiceInputSchema } = await import('../../src/shared/voice-input');
const { createLogger } = await import('../../src/main/pipeline/logger');
const { wavFile } = await import('../../src/main/pipeline/tts/pcm');
const { wireVoice } = await import('../../src/main/shell/voice-shell');
const { watchKey } = await import('../../src/main/shell/global-key-hook');
const { MODIFIER_KEYCODES } = await import('../../src/main/shell/global-key-hook-keys');
const { fakeKeySource } = await import('../helpers/fake-key-source');

const BUILT = pathToFileURL(RENDERER_DIR).href;
const OVERLAY = { senderFrame: { url: `${BUILT}/index.html`, parent: null } };
const STRANGERS = [
  { senderFrame: { url: `${BUILT}/preferences.html`, parent: null } },
  { senderFrame: { url: `${BUILT}/index.html`, parent: {} } },
  { senderFrame: { url: 'https://evil.example/index.html', parent: null } },
  { senderFrame: null },
];

const logger = () => {
  const lines: string[] = [];
  return { lines, logger: createLogger({ level: 'debug', sink: (_l, line) => lines.push(line) }) };
};
const send = (channel: string, event: unknown, payload?: unknown) =>
  ipc.listeners.get(channel)!(event, payload);
const UTTERANCE = { wav: wavFile(new Uint8Array(3200), 16_000), speechMs: 100, sinceSpeechEndMs: 540 };
const STATUS = { state: 'listening', level: 0.2, devices: [{ deviceId: 'mic-1', label: 'USB mic' }] };

beforeEach(() => {
  vi.stubEnv('ELECTRON_RENDERER_URL', undefined);
  ipc.listeners.clear();
});
afterEach(() => vi.useRealTimers());

describe('registerVoiceIpc', () => {
  const runner = () => ({ hear: vi.fn(async () => 'turn-1'), retryUtterance: vi.fn(async () => undefined) });

  it("hands the overlay page's utterances, retries and status to main", () => {
    const r = runner();
    const onStatus = vi.fn();
    registerVoiceIpc(r, { onStatus, logger: logger().logger });
    send(IPC.utterance, OVERLAY, UTTERANCE);
    expect(r.hear).toHaveBeenCalledWith(UTTERANCE);
    send(IPC.retryUtterance, OVERLAY);
    expect(r.retryUtterance).toHaveBeenCalledOnce();
    send(IPC.voiceStatus, OVERLAY, STATUS);
    expect(onStatus).toHaveBeenCalledWith(STATUS);
  });

  it('ignores every other page, subframes and missing frames', () => {
    const r = runner();
    const onStatus = vi.fn();
    registerVoiceIpc(r, { onStatus, logger: logger().logger });
    for (const stranger of STRANGERS) {
      send(IPC.utterance, stranger, UTTERANCE);
      send(IPC.retryUtterance, stranger);
      send(IPC.voiceStatus, stranger, STATUS);
    }
    expect(r.hear).not.toHaveBeenCalled();
    expect(r.retryUtterance).not.toHaveBeenCalled();
    expect(onStatus).not.toHaveBeenCalled();
  });

  it('refuses payloads that fail the shared schemas, and says so in the log', () => {
    const r = runner();
    const onStatus = vi.fn();
    const { lines, logger: log } = logger();
    registerVoiceIpc(r, { onStatus, logger: log });
    for (const bad of [
      undefined,
      { ...UTTERANCE, wav: 'not bytes' },
      { ...UTTERANCE, wav: new Uint8Array(44) }, // a header and no audio
      { ...UTTERANCE, wav: new Uint8Array(44 + 61 * 32_000) }, // longer than 60 s
      { ...UTTERANCE, sinceSpeechEndMs: -5 },
      { ...UTTERANCE, speechMs: Number.NaN },
    ])
      send(IPC.utterance, OVERLAY, bad);
    for (const bad of [
      { ...STATUS, level: 7 },
      { ...STATUS, state: 'shouting' },
      { ...STATUS, problem: 'x'.repeat(500) },
    ])
      send(IPC.voiceStatus, OVERLAY, bad);
    expect(r.hear).not.toHaveBeenCalled();
    expect(onStatus).not.toHaveBeenCalled();
    expect(lines.filter((l) => l.includes('utterance from the overlay was refused'))).toHaveLength(6);
  });

  it('dispose removes every handler', () => {
    const dispose = registerVoiceIpc(runner(), { onStatus: vi.fn(), logger: logger().logger });
    expect(ipc.listeners.size).toBe(3);
    dispose();
    expect(ipc.listeners.size).toBe(0);
  });
});

describe('PushToTalk as a toggle (the fallback: global shortcuts have no key-up)', () => {
  it('toggles in push-to-talk mode and tells the page each time', () => {
    const sent: boolean[] = [];
    const ptt = new PushToTalk(
      (down) => sent.push(down),
      () => 'push-to-talk',
      logger().logger,
    );
    ptt.toggle();
    ptt.toggle();
    ptt.toggle();
    expect(sent).toEqual([true, false, true]);
    ptt.release();
    ptt.release();
    expect(sent).toEqual([true, false, true, false]);
  });

  it('does nothing in the other modes, and says why in the log', () => {
    const sent: boolean[] = [];
    const { lines, logger: log } = logger();
    for (const mode of ['hands-free', 'muted'] as const)
      new PushToTalk(
        (d) => sent.push(d),
        () => mode,
        log,
      ).toggle();
    expect(sent).toEqual([]);
    expect(lines.filter((l) => l.includes('works in push-to-talk mode'))).toHaveLength(2);
  });

  it('ends a forgotten talk by itself after the longest utterance', () => {
    vi.useFakeTimers();
    const sent: boolean[] = [];
    const ptt = new PushToTalk(
      (d) => sent.push(d),
      () => 'push-to-talk',
      logger().logger,
      60_000,
    );
    ptt.toggle();
    vi.advanceTimersByTime(59_999);
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([true, false]);
    expect(ptt.isDown).toBe(false);
  });
});

describe('syncVoiceInput', () => {
  it('sends the listen settings on every page load and on each real change only', () => {
    let loaded: () => void = () => {};
    const sent: unknown[] = [];
    const page = {
      send: (channel: string, settings: unknown) => sent.push([channel, settings]),
      on: (_event: 'did-finish-load', listener: () => void) => (loaded = listener),
    };
    let listen = voiceInputSchema.parse({});
    const onSent = vi.fn();
    const sync = syncVoiceInput(page, () => listen, onSent);
    loaded();
    expect(sent).toEqual([[IPC.voiceInput, listen]]);
    sync.changed(); // another section changed: nothing new for the page
    expect(sent).toHaveLength(1);
    listen = { ...listen, mode: 'hands-free' };
    sync.changed();
    expect(sent.at(-1)).toEqual([IPC.voiceInput, listen]);
    loaded(); // a reload gets them again
    expect(sent).toHaveLength(3);
    expect(onSent).toHaveBeenCalledTimes(3);
  });
});

type HoldToTalkStatus = import('../../src/shared/preferences-api').HoldToTalkStatus;
type KeyBinding = import('../../src/main/shell/global-key-hook-keys').KeyBinding;

const Y = 0x15;
const CTRL_SHIFT = { ctrl: true, shift: true };
const PTT_KEY = 'CommandOrControl+Shift+Y';
const HOTKEYS = [
  {
    id: 'toggleOverlay' as const,
    action: 'Show or hide the overlay',
    accelerator: 'Ctrl+K',
    registered: true,
  },
  { id: 'pushToTalk' as const, action: 'Push to talk', accelerator: PTT_KEY, registered: true },
];

/**
 * wireVoice as index.ts wires it, with a fake overlay page and a fake key source in place of the
 * uiohook process: `talk()` is what the page was told over IPC.pushToTalk.
 */
function voiceShell(options: { listen?: object; failStart?: Error } = {}) {
  const sent: [string, unknown][] = [];
  const overlay = {
    isDestroyed: () => false,
    send: (channel: string, payload: unknown) => sent.push([channel, payload]),
    on: () => overlay,
  };
  let listen = voiceInputSchema.parse({ mode: 'push-to-talk', ...options.listen });
  const source = fakeKeySource(options.failStart ? { failStart: options.failStart } : {});
  const bindings: KeyBinding[] = [];
  const statuses: HoldToTalkStatus[] = [];
  const log = logger();
  const voice = wireVoice({
    overlay: overlay as unknown as import('electron').WebContents,
    runner: { hear: vi.fn(async () => 'turn-1'), retryUtterance: vi.fn(async () => undefined) },
    listen: () => listen,
    onStatus: () => {},
    logger: log.logger,
    onHoldToTalk: (status) => statuses.push(status),
    keyHook: (binding) => {
      bindings.push(binding);
      return watchKey(binding, source);
    },
  });
  const hold = () => voice.withHoldToTalk(HOTKEYS).find((h) => h.id === 'pushToTalk')!.holdToTalk;
  return {
    voice,
    source,
    bindings,
    statuses,
    lines: log.lines,
    hold,
    talk: () => sent.filter(([channel]) => channel === IPC.pushToTalk).map(([, down]) => down),
    setListen(patch: object) {
      listen = voiceInputSchema.parse({ ...listen, ...patch });
      voice.settingsChanged();
    },
    /** Registers the push-to-talk key as index.ts does, and waits for the hook to run. */
    async start(key = PTT_KEY) {
      voice.setPushToTalkKey(key);
      await vi.waitFor(() => expect(hold()?.state).not.toBe('starting'));
    },
  };
}

describe('hold to talk: the global key hook drives push-to-talk', () => {
  it('key down starts the talk, key up ends and sends it; auto-repeat and the shortcut change nothing', async () => {
    const shell = voiceShell();
    await shell.start();
    expect(shell.hold()).toEqual({ state: 'active' });
    expect(shell.bindings).toEqual([expect.objectContaining({ keycode: Y, ctrl: true, shift: true })]);
    shell.source.key(Y, true, CTRL_SHIFT);
    shell.source.key(Y, true, CTRL_SHIFT); // auto-repeat while held
    shell.voice.pushToTalk(); // the global shortcut fires for the same press: not a toggle now
    shell.source.key(Y, true, CTRL_SHIFT);
    expect(shell.talk()).toEqual([true]);
    shell.source.key(Y, false, CTRL_SHIFT);
    expect(shell.talk()).toEqual([true, false]);
    shell.source.key(Y, true, CTRL_SHIFT);
    shell.source.key(MODIFIER_KEYCODES.ctrl[0], false, { shift: true }); // Ctrl let go first
    expect(shell.talk()).toEqual([true, false, true, false]);
    expect(shell.lines.some((l) => l.includes(`hold-to-talk: hold ${PTT_KEY} to talk`))).toBe(true);
  });

  it('the mode leaving push-to-talk releases the talk and stops the hook; coming back starts it again', async () => {
    const shell = voiceShell();
    await shell.start();
    shell.source.key(Y, true, CTRL_SHIFT);
    shell.setListen({ mode: 'hands-free' });
    expect(shell.talk()).toEqual([true, false]);
    expect(shell.source.running).toBe(false);
    expect(shell.source.stops).toBe(1);
    expect(shell.hold()).toEqual({ state: 'off' });
    shell.source.key(Y, true, CTRL_SHIFT); // no hook: nothing
    expect(shell.talk()).toEqual([true, false]);
    shell.setListen({ mode: 'push-to-talk' });
    await vi.waitFor(() => expect(shell.hold()).toEqual({ state: 'active' }));
    expect(shell.source.starts).toBe(2);
    expect(shell.statuses).toEqual([
      { state: 'starting' },
      { state: 'active' },
      { state: 'off' },
      { state: 'starting' },
      { state: 'active' },
    ]);
  });

  it('"toggle" chosen: no hook runs and the shortcut toggles', async () => {
    const shell = voiceShell({ listen: { pushToTalkStyle: 'toggle' } });
    await shell.start();
    expect(shell.source.starts).toBe(0);
    expect(shell.hold()).toEqual({ state: 'off' });
    shell.voice.pushToTalk();
    shell.voice.pushToTalk();
    expect(shell.talk()).toEqual([true, false]);
    // Switching to hold starts the hook, and a talk toggled on meanwhile ends.
    shell.voice.pushToTalk();
    shell.setListen({ pushToTalkStyle: 'hold' });
    await vi.waitFor(() => expect(shell.hold()).toEqual({ state: 'active' }));
    expect(shell.talk()).toEqual([true, false, true, false]);
  });

  it('the longest utterance still ends a held talk; auto-repeat of the held key does not restart it', async () => {
    const shell = voiceShell();
    await shell.start();
    vi.useFakeTimers();
    shell.source.key(Y, true, CTRL_SHIFT);
    vi.advanceTimersByTime(60_000);
    expect(shell.talk()).toEqual([true, false]);
    shell.source.key(Y, true, CTRL_SHIFT); // still held, repeating
    shell.source.key(Y, false, CTRL_SHIFT);
    expect(shell.talk()).toEqual([true, false]);
    shell.source.key(Y, true, CTRL_SHIFT); // pressed again: a new talk
    expect(shell.talk()).toEqual([true, false, true]);
  });

  it('quitting (dispose) releases the talk and stops the hook', async () => {
    const shell = voiceShell();
    await shell.start();
    shell.source.key(Y, true, CTRL_SHIFT);
    shell.voice.dispose();
    expect(shell.talk()).toEqual([true, false]);
    expect(shell.source.running).toBe(false);
    expect(shell.hold()).toEqual({ state: 'off' });
  });
});

describe('hold to talk unavailable: the shortcut toggles, and Preferences and the log say why', () => {
  it('a hook the system refuses to start', async () => {
    const refused = new Error('the keyboard hook needs an X11 display (or XWayland) that it can watch');
    const shell = voiceShell({ failStart: refused });
    await shell.start();
    // The fault happened: the key source was asked to start and refused.
    expect(shell.source.start).toHaveBeenCalledOnce();
    await expect(shell.source.start.mock.results[0]!.value).rejects.toBe(refused);
    expect(shell.hold()).toEqual({ state: 'unavailable', problem: refused.message });
    expect(shell.statuses.at(-1)).toEqual({ state: 'unavailable', problem: refused.message });
    expect(
      shell.lines.some((l) =>
        l.includes(`hold-to-talk is unavailable: ${refused.message}. The push-to-talk key toggles instead`),
      ),
    ).toBe(true);
    shell.voice.pushToTalk();
    expect(shell.talk()).toEqual([true]);
    shell.voice.pushToTalk();
    expect(shell.talk()).toEqual([true, false]);
    // The same wish is not retried on every settings change (no log line per save).
    shell.setListen({ endSilenceMs: 700 });
    expect(shell.source.start).toHaveBeenCalledOnce();
  });

  it('a key the hook cannot watch: no hook is started at all', async () => {
    const shell = voiceShell();
    await shell.start('Ctrl+VolumeUp');
    expect(shell.bindings).toEqual([]);
    expect(shell.hold()).toMatchObject({
      state: 'unavailable',
      problem: expect.stringContaining('VolumeUp'),
    });
    shell.voice.pushToTalk();
    expect(shell.talk()).toEqual([true]);
  });

  it('a hook that dies while running: the talk ends and the shortcut toggles from then on', async () => {
    const shell = voiceShell();
    await shell.start();
    shell.source.key(Y, true, CTRL_SHIFT);
    shell.source.lose('the keyboard hook stopped');
    expect(shell.talk()).toEqual([true, false]);
    expect(shell.hold()).toEqual({ state: 'unavailable', problem: 'the keyboard hook stopped' });
    shell.voice.pushToTalk();
    expect(shell.talk()).toEqual([true, false, true]);
  });

  it('no push-to-talk shortcut registered: no hook', async () => {
    const shell = voiceShell();
    shell.voice.setPushToTalkKey(undefined);
    expect(shell.source.starts).toBe(0);
    expect(shell.hold()).toEqual({ state: 'off' });
  });
});
