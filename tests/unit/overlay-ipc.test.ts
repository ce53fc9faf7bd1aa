import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** ipcMain as the module under test sees it: handlers and listeners by channel. */
const ipc = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, payload?: unknown) => unknown>(),
  listeners: new Map<string, (event: unknown, payload?: unknown) => void>(),
}));

vi.mock('electron', () => ({
  app: { isPackaged: false },
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, payload?: unknown) => unknown) =>
      ipc.handlers.set(channel, handler),
    removeHandler: (channel: string) => ipc.handlers.delete(channel),
    on: (channel: string, listener: (event: unknown, payload?: unknown) => void) =>
      ipc.listeners.set(channel, listener),
    off: (channel: string, listener: unknown) => {
      if (ipc.listeners.get(channel) === listener) ipc.listeners.delete(channel);
    },
  },
  BrowserWindow: class {},
  shell: { openExternal: vi.fn() },
}));

const { registerOverlayIpc } = await import('../../src/main/shell/overlay-ipc');
const { RENDERER_DIR } = await import('../../src/main/shell/secure-window');
const { IPC } = await import('../../src/shared/ipc');
type TurnRunner = import('../../src/main/pipeline/turn-runner').TurnRunner;

const BUILT = pathToFileURL(RENDERER_DIR).href;
const OVERLAY = { senderFrame: { url: `${BUILT}/index.html`, parent: null } };
const STRANGERS = [
  { senderFrame: { url: `${BUILT}/preferences.html`, parent: null } },
  { senderFrame: { url: `${BUILT}/index.html`, parent: {} } },
  { senderFrame: { url: 'https://evil.example/index.html', parent: null } },
  { senderFrame: null },
];

function fakeRunner() {
  return {
    say: vi.fn(async () => 'turn-7'),
    cancel: vi.fn(async () => {}),
    playbackStarted: vi.fn(),
    playbackStopped: vi.fn(),
    playbackFinished: vi.fn(),
  };
}

const say = (event: unknown, payload: unknown) => ipc.handlers.get(IPC.say)!(event, payload);
const send = (channel: string, event: unknown, payload?: unknown) =>
  ipc.listeners.get(channel)!(event, payload);

beforeEach(() => {
  vi.stubEnv('ELECTRON_RENDERER_URL', undefined);
  ipc.handlers.clear();
  ipc.listeners.clear();
});

describe('registerOverlayIpc', () => {
  it("carries out the overlay page's requests on the runner", async () => {
    const runner = fakeRunner();
    registerOverlayIpc(runner as unknown as TurnRunner);
    expect(await say(OVERLAY, { text: '  hello  ' })).toEqual({ ok: true, turnId: 'turn-7' });
    expect(runner.say).toHaveBeenCalledWith('hello');
    send(IPC.cancel, OVERLAY);
    expect(runner.cancel).toHaveBeenCalledTimes(1);
    send(IPC.playbackStarted, OVERLAY, { turnId: 'turn-7', afterChunkMs: 12 });
    expect(runner.playbackStarted).toHaveBeenCalledWith('turn-7', 12);
    send(IPC.playbackStopped, OVERLAY, { turnId: 'turn-7', segmentsHeard: 2 });
    expect(runner.playbackStopped).toHaveBeenCalledWith('turn-7', 2);
    send(IPC.playbackFinished, OVERLAY, { turnId: 'turn-7' });
    expect(runner.playbackFinished).toHaveBeenCalledWith('turn-7');
  });

  it('ignores every other page, subframes and missing frames', async () => {
    const runner = fakeRunner();
    registerOverlayIpc(runner as unknown as TurnRunner);
    for (const stranger of STRANGERS) {
      expect(await say(stranger, { text: 'hello' })).toEqual({ ok: false, error: 'untrusted sender' });
      send(IPC.cancel, stranger);
      send(IPC.playbackStarted, stranger, { turnId: 't', afterChunkMs: 1 });
      send(IPC.playbackStopped, stranger, { turnId: 't', segmentsHeard: 1 });
      send(IPC.playbackFinished, stranger, { turnId: 't' });
    }
    for (const call of Object.values(runner)) expect(call).not.toHaveBeenCalled();
  });

  it('refuses payloads that fail the shared schemas, in words for people where the page waits', async () => {
    const runner = fakeRunner();
    registerOverlayIpc(runner as unknown as TurnRunner);
    for (const payload of [{ text: '   ' }, { text: 'a'.repeat(4001) }, 'hello', null]) {
      expect(await say(OVERLAY, payload)).toMatchObject({ ok: false, error: expect.stringMatching(/4,000/) });
    }
    send(IPC.playbackStarted, OVERLAY, { turnId: '', afterChunkMs: 1 });
    send(IPC.playbackStarted, OVERLAY, { turnId: 't', afterChunkMs: -1 });
    send(IPC.playbackStopped, OVERLAY, { turnId: 't', segmentsHeard: 'all' });
    send(IPC.playbackFinished, OVERLAY, { turnId: '' });
    send(IPC.playbackFinished, OVERLAY, { turnId: 'x'.repeat(65) });
    send(IPC.playbackFinished, OVERLAY, 't');
    for (const call of Object.values(runner)) expect(call).not.toHaveBeenCalled();
  });

  it('removes its handlers when disposed', () => {
    const dispose = registerOverlayIpc(fakeRunner() as unknown as TurnRunner);
    expect([...ipc.handlers.keys(), ...ipc.listeners.keys()].sort()).toEqual(
      [IPC.say, IPC.cancel, IPC.playbackStarted, IPC.playbackStopped, IPC.playbackFinished].sort(),
    );
    dispose();
    expect([...ipc.handlers.keys(), ...ipc.listeners.keys()]).toEqual([]);
  });
});
