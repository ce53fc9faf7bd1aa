import { app, BrowserWindow, shell, type BrowserWindowConstructorOptions, type WebContents } from 'electron';
import { join } from 'node:path';
import { isOwnPage, pageSource, rendererLocation, type RendererLocation } from './renderer-location';

const PRELOAD = join(__dirname, '../preload/index.cjs');
/** The built pages: out/renderer, next to this bundle's out/main. */
export const RENDERER_DIR = join(__dirname, '../renderer');

/** Where this run's pages come from (the dev server only in development). */
function currentLocation(): RendererLocation {
  return rendererLocation({ isPackaged: app.isPackaged, dir: RENDERER_DIR });
}

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
export function loadPage(
  window: Pick<BrowserWindow, 'loadURL' | 'loadFile'>,
  page: string,
  location: RendererLocation = currentLocation(),
): Promise<void> {
  const source = pageSource(location, page);
  return 'url' in source ? window.loadURL(source.url) : window.loadFile(source.file);
}

/**
 * True when an IPC message comes from the main frame of one of our own pages — and, with `page`,
 * from that page (the overlay cannot call the preferences API and the other way round).
 */
export function isTrustedSender(
  frame: { url: string; parent: unknown } | null,
  page?: string,
  location: RendererLocation = currentLocation(),
): boolean {
  if (!frame || frame.parent !== null) return false;
  return isOwnPage(location, frame.url, page);
}
