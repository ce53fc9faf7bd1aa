import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { fakeCipher } from '../helpers/fake-cipher';
import { testLogger } from '../helpers/pipeline-fixture';

/** The chat panel's IPC (shell/chat-shell.ts) with Electron's ipcMain replaced by a map. */
const handlers = vi.hoisted(() => new Map<string, (event: unknown, payload?: unknown) => unknown>());
vi.mock('electron', () => ({
  app: { isPackaged: false },
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, payload?: unknown) => unknown) => {
      handlers.set(channel, handler);
    },
  },
}));
// electron-store needs Electron; the local token's store is a plain map here.
vi.mock('electron-store', () => ({
  default: class {
    private readonly data = new Map<string, unknown>();
    get(key: string) {
      return this.data.get(key);
    }
    set(key: string, value: unknown) {
      this.data.set(key, value);
    }
  },
}));

const { createChatShell } = await import('../../src/main/shell/chat-shell');
const { RENDERER_DIR } = await import('../../src/main/shell/secure-window');
const { CHAT_IPC } = await import('../../src/shared/chat-api');
const { parsePipelineSettings } = await import('../../src/shared/settings');
type TurnRunner = import('../../src/main/pipeline/turn-runner').TurnRunner;

const BUILT = pathToFileURL(RENDERER_DIR).href;
const PREFS = { senderFrame: { url: `${BUILT}/preferences.html`, parent: null } };
const OVERLAY = { senderFrame: { url: `${BUILT}/index.html`, parent: null } };
const TOKEN = 'secrettwitchtoken0123456789';

const lines: string[] = [];
const logger = testLogger(lines);
const shell = createChatShell({
  logger,
  cipher: fakeCipher(),
  userData: mkdtempSync(join(tmpdir(), 'kiyo-chat-ipc-')),
  settings: parsePipelineSettings({ chat: { enabled: true } }),
});
shell.attach({ say: () => Promise.resolve('turn-1') } as unknown as TurnRunner, 7377, () => {});
afterAll(() => shell.close());

const call = (channel: string, event: unknown, payload?: unknown) => handlers.get(channel)!(event, payload);

describe('chat panel IPC', () => {
  it('answers only the preferences page', () => {
    for (const channel of [CHAT_IPC.getState, CHAT_IPC.control, CHAT_IPC.setSignIn, CHAT_IPC.clearSignIn])
      expect(() => call(channel, OVERLAY, undefined)).toThrow('not allowed from this page');
  });

  it('refuses payloads that do not fit the shared schemas', () => {
    expect(() => call(CHAT_IPC.control, PREFS, { action: 'delete-everything' })).toThrow('invalid request');
    expect(() => call(CHAT_IPC.control, PREFS, { action: 'skip', key: 'x'.repeat(100) })).toThrow();
    expect(() => call(CHAT_IPC.setSignIn, PREFS, { token: 5 })).toThrow('invalid request');
    expect(() => call(CHAT_IPC.getState, PREFS, { all: true })).toThrow('invalid request');
  });

  it('takes the Twitch token in but never gives it back: the state says only that one is set', () => {
    expect(call(CHAT_IPC.setSignIn, PREFS, { token: `oauth:${TOKEN}`, clientId: 'clientid0123' })).toEqual({
      ok: true,
      persisted: true,
    });
    const state = call(CHAT_IPC.getState, PREFS) as { signedIn: boolean; localEndpointExample: string };
    expect(state.signedIn).toBe(true);
    expect(JSON.stringify(state)).not.toContain(TOKEN);
    expect(state.localEndpointExample).toContain('http://127.0.0.1:7377/chat');
    logger.warn(`something quoted ${TOKEN}`);
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(call(CHAT_IPC.setSignIn, PREFS, { token: 'bad token', clientId: 'clientid0123' })).toMatchObject({
      ok: false,
    });
  });

  it('pause, skip and answer-now reach the coordinator', () => {
    expect(call(CHAT_IPC.control, PREFS, { action: 'pause', paused: true })).toEqual({ ok: true });
    expect((call(CHAT_IPC.getState, PREFS) as { paused: boolean }).paused).toBe(true);
    expect(call(CHAT_IPC.control, PREFS, { action: 'answer-now', key: 'chat-404' })).toEqual({
      ok: false,
      error: 'That message is no longer waiting.',
    });
  });
});
