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
}));

const { registerVoiceIpc } = await import('../../src/main/shell/voice-ipc');
const { PushToTalk } = await import('../../src/main/shell/push-to-talk');
const { syncVoiceInput } = await import('../../src/main/shell/voice-input-sync');
const { RENDERER_DIR } = await import('../../src/main/shell/secure-window');
const { IPC } = await import('../../src/shared/ipc');
const { voiceInputSchema } = await import('../../src/shared/voice-input');
const { createLogger } = await import('../../src/main/pipeline/logger');
const { wavFile } = await import('../../src/main/pipeline/tts/pcm');

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

describe('PushToTalk (global shortcuts have no key-up: press to start, press again to send)', () => {
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
