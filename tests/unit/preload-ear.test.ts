import { afterEach, describe, expect, it, vi } from 'vitest';

/** What the preload put in the page's world, and the IPC it used, per page load. */
const electron = vi.hoisted(() => ({
  exposed: new Map<string, Record<string, unknown>>(),
  listeners: new Map<string, ((event: unknown, payload: unknown) => void)[]>(),
  sent: [] as [string, unknown][],
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (name: string, api: Record<string, unknown>) => electron.exposed.set(name, api),
  },
  ipcRenderer: {
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) =>
      electron.listeners.set(channel, [...(electron.listeners.get(channel) ?? []), listener]),
    removeListener: () => {},
    send: (channel: string, payload: unknown) => electron.sent.push([channel, payload]),
    invoke: async () => undefined,
  },
}));

const { IPC } = await import('../../src/shared/ipc');

const EAR = ['sendUtterance', 'retryUtterance', 'onVoiceInput', 'onPushToTalk', 'reportVoiceStatus'];

/** Runs the preload as Electron does for a page at `file://…/out/renderer/<page>`. */
async function loadPreload(page: string) {
  electron.exposed.clear();
  electron.listeners.clear();
  electron.sent.length = 0;
  vi.stubGlobal('location', { pathname: `/opt/Kiyo/resources/app.asar/out/renderer/${page}` });
  vi.resetModules();
  await import('../../src/preload/index');
  return { kiyo: electron.exposed.get('kiyo')!, preferences: electron.exposed.get('kiyoPreferences') };
}

afterEach(() => vi.unstubAllGlobals());

describe('preload: the ear is exposed on the overlay page only', () => {
  it('the overlay page gets the ear, and the ear works as before', async () => {
    const { kiyo, preferences } = await loadPreload('index.html');
    for (const name of EAR) expect(typeof kiyo[name], name).toBe('function');
    expect(preferences).toBeUndefined();

    // Settings main sent before the ear subscribed are replayed to it.
    const settings = { mode: 'hands-free' };
    for (const listener of electron.listeners.get(IPC.voiceInput) ?? []) listener({}, settings);
    const heard: unknown[] = [];
    (kiyo.onVoiceInput as (l: (s: unknown) => void) => () => void)((s) => heard.push(s));
    expect(heard).toEqual([settings]);
    (kiyo.reportVoiceStatus as (s: unknown) => void)({ state: 'listening' });
    expect(electron.sent).toEqual([[IPC.voiceStatus, { state: 'listening' }]]);
  });

  it('the preferences page gets everything else, identical, and none of the ear', async () => {
    const overlay = Object.keys((await loadPreload('index.html')).kiyo).sort();
    const { kiyo, preferences } = await loadPreload('preferences.html');
    for (const name of EAR) expect(kiyo, name).not.toHaveProperty(name);
    expect(Object.keys(kiyo).sort()).toEqual(overlay.filter((name) => !EAR.includes(name)));
    expect(kiyo.kind).toBe('desktop');
    expect(preferences).toBeDefined();
    // Nor does it listen for the ear's settings.
    expect(electron.listeners.has(IPC.voiceInput)).toBe(false);
  });
});
