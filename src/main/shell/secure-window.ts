import { BrowserWindow, shell, type BrowserWindowConstructorOptions, type WebContents } from 'electron';
import { join } from 'node:path';

const PRELOAD = join(__dirname, '../preload/index.cjs');

/** Every Kiyo window: isolated, sandboxed, no Node, no navigation away, no new windows. */
export function createSecureWindow(options: BrowserWindowConstructorOptions): BrowserWindow {
  const window = new BrowserWindow({
    ...options,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  lockDown(window.webContents);
  return window;
}

function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links the user clicks open in their browser, never inside the app.
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** The page a window shows: the dev server in `npm run dev`, the built file otherwise. */
export function loadPage(window: BrowserWindow, page: string): Promise<void> {
  const devServer = process.env.ELECTRON_RENDERER_URL;
  if (devServer) return window.loadURL(`${devServer}/${page}`);
  return window.loadFile(join(__dirname, '../renderer', page));
}

/**
 * True when an IPC message comes from the main frame of one of our own pages — and, with `page`,
 * from that page (the overlay cannot call the preferences API and the other way round).
 */
export function isTrustedSender(frame: { url: string; parent: unknown } | null, page?: string): boolean {
  if (!frame || frame.parent !== null) return false;
  const devServer = process.env.ELECTRON_RENDERER_URL;
  const url = frame.url.split(/[?#]/)[0] ?? '';
  const ours =
    (devServer !== undefined && url.startsWith(`${devServer}/`)) ||
    (url.startsWith('file://') && url.includes('/renderer/'));
  return ours && (page === undefined || url.endsWith(`/${page}`));
}
