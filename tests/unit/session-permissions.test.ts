import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

/** The session as applySessionPolicy sees it: the handlers it installs, kept for the test to call. */
const installed = vi.hoisted(() => ({
  request: undefined as
    | undefined
    | ((contents: unknown, permission: string, callback: (ok: boolean) => void, details: object) => void),
  check: undefined as
    undefined | ((contents: unknown, permission: string, origin: string, details: object) => boolean),
}));

vi.mock('electron', () => ({
  app: { isPackaged: true },
  session: {},
  BrowserWindow: class {},
  shell: { openExternal: vi.fn() },
}));

const { applySessionPolicy, isPermissionAllowed } = await import('../../src/main/shell/session-policy');

const DIR = '/opt/kiyo/resources/app.asar/out/renderer';
const location = { dir: DIR };
const overlay = pathToFileURL(join(DIR, 'index.html')).href;
const preferences = pathToFileURL(join(DIR, 'preferences.html')).href;
const ask = (over: Partial<Parameters<typeof isPermissionAllowed>[1]>) =>
  isPermissionAllowed(location, {
    permission: 'media',
    url: overlay,
    isMainFrame: true,
    mediaTypes: ['audio'],
    ...over,
  });

describe('permission policy: the microphone for the overlay page only', () => {
  it("grants the overlay page's main frame the microphone", () => {
    expect(ask({})).toBe(true);
    expect(ask({ url: `${overlay}?x=1#y` })).toBe(true);
  });

  it('refuses the camera, audio + video, and a media ask that names nothing', () => {
    expect(ask({ mediaTypes: ['video'] })).toBe(false);
    expect(ask({ mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(ask({ mediaTypes: [] })).toBe(false);
    expect(ask({ mediaTypes: ['unknown'] })).toBe(false);
  });

  it('refuses every other permission, even to the overlay', () => {
    for (const permission of ['notifications', 'geolocation', 'display-capture', 'clipboard-read', 'midi'])
      expect(ask({ permission })).toBe(false);
  });

  it('refuses Preferences, subframes, other folders and other sites', () => {
    expect(ask({ url: preferences })).toBe(false);
    expect(ask({ isMainFrame: false })).toBe(false);
    expect(ask({ url: pathToFileURL('/tmp/renderer/index.html').href })).toBe(false);
    expect(ask({ url: pathToFileURL(join(DIR, 'sub/index.html')).href })).toBe(false);
    expect(ask({ url: 'https://example.com/index.html' })).toBe(false);
    expect(ask({ url: 'http://127.0.0.1:7377/token/index.html' })).toBe(false);
    expect(ask({ url: 'not a url' })).toBe(false);
  });

  it('the dev server counts as the app only when it is the renderer location', () => {
    const dev = { dir: DIR, devServer: 'http://localhost:5173' };
    const url = 'http://localhost:5173/index.html';
    expect(
      isPermissionAllowed(dev, { permission: 'media', url, isMainFrame: true, mediaTypes: ['audio'] }),
    ).toBe(true);
    expect(
      isPermissionAllowed(location, { permission: 'media', url, isMainFrame: true, mediaTypes: ['audio'] }),
    ).toBe(false);
  });

  it('the session handlers installed by applySessionPolicy apply the same rule to requests and checks', () => {
    const session = {
      webRequest: { onHeadersReceived: vi.fn() },
      setPermissionRequestHandler: (h: typeof installed.request) => (installed.request = h),
      setPermissionCheckHandler: (h: typeof installed.check) => (installed.check = h),
      setDevicePermissionHandler: vi.fn(),
    };
    applySessionPolicy(session as never, location);
    const request = (permission: string, details: object) => {
      let answer: boolean | undefined;
      installed.request!({}, permission, (ok) => (answer = ok), details);
      return answer;
    };
    expect(request('media', { requestingUrl: overlay, isMainFrame: true, mediaTypes: ['audio'] })).toBe(true);
    expect(request('media', { requestingUrl: preferences, isMainFrame: true, mediaTypes: ['audio'] })).toBe(
      false,
    );
    expect(request('media', { requestingUrl: overlay, isMainFrame: true, mediaTypes: ['video'] })).toBe(
      false,
    );
    expect(request('notifications', { requestingUrl: overlay, isMainFrame: true })).toBe(false);
    const check = (permission: string, details: object) =>
      installed.check!({}, permission, 'file:///', details);
    expect(check('media', { requestingUrl: overlay, isMainFrame: true, mediaType: 'audio' })).toBe(true);
    expect(check('media', { requestingUrl: preferences, isMainFrame: true, mediaType: 'audio' })).toBe(false);
    expect(check('media', { requestingUrl: overlay, isMainFrame: true, mediaType: 'video' })).toBe(false);
    expect(check('media', { requestingUrl: overlay, isMainFrame: true })).toBe(false);
  });
});
