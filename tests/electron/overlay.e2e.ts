import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findElectronBinary } from '../../src/cli/electron-binary';

const MAIN = resolve('out/main/index.js');

// The binary npm start would run (ELECTRON_OVERRIDE_DIST_PATH, or the one downloaded on the first
// start), never downloading it here: without one these tests are skipped and say why.
const electronBinary = findElectronBinary();
const binary = electronBinary && 'path' in electronBinary ? electronBinary.path : undefined;

test.describe('overlay window', () => {
  let app: ElectronApplication;
  let userData: string;

  test.beforeAll(async () => {
    if (electronBinary && 'problem' in electronBinary) throw new Error(electronBinary.problem);
    test.skip(
      !binary,
      'No Electron binary on this machine: it is downloaded by the first npm start (needs network access), or set ELECTRON_OVERRIDE_DIST_PATH',
    );
    test.skip(!existsSync(MAIN), `${MAIN} is missing: run npx electron-vite build first`);
    // A fresh profile, so a position or click-through saved by a real run cannot change the results.
    userData = mkdtempSync(join(tmpdir(), 'kiyo-e2e-'));
    app = await electron.launch({
      executablePath: binary,
      args: [MAIN, `--user-data-dir=${userData}`],
      env: { ...process.env, KIYO_LOG_LEVEL: 'debug' },
    });
  });

  test.afterAll(async () => {
    await app?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  test('is transparent, frameless and always on top', async () => {
    await app.firstWindow();
    const props = await app.evaluate(({ BrowserWindow }) => {
      const win = BrowserWindow.getAllWindows()[0];
      if (!win) return undefined;
      const bounds = win.getBounds();
      const content = win.getContentBounds();
      return {
        alwaysOnTop: win.isAlwaysOnTop(),
        background: win.getBackgroundColor(),
        // A frameless window has no title bar or border: its content fills the whole window.
        frameless: bounds.width === content.width && bounds.height === content.height,
        allWorkspaces: win.isVisibleOnAllWorkspaces(),
        resizable: win.isResizable(),
      };
    });
    expect(props).toBeDefined();
    expect(props?.alwaysOnTop).toBe(true);
    expect(props?.background.toUpperCase()).toBe('#00000000');
    expect(props?.frameless).toBe(true);
    expect(props?.resizable).toBe(true);
    if (process.platform !== 'linux') expect(props?.allWorkspaces).toBe(true);
  });

  test('the page is isolated and sandboxed', async () => {
    await app.firstWindow();
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]?.webContents as
        (Electron.WebContents & { getLastWebPreferences(): Electron.WebPreferences }) | undefined;
      // Real at runtime but missing from electron.d.ts.
      const last = contents?.getLastWebPreferences();
      return (
        last && { contextIsolation: last.contextIsolation, sandbox: last.sandbox, node: last.nodeIntegration }
      );
    });
    expect(prefs).toEqual({ contextIsolation: true, sandbox: true, node: false });
  });

  test('the page sees window.kiyo and no Node', async () => {
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    const globals = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return { kiyo: typeof w.kiyo, require: typeof w.require, process: typeof w.process };
    });
    expect(globals).toEqual({ kiyo: 'object', require: 'undefined', process: 'undefined' });
  });
});
