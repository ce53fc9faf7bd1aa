import type { BrowserWindow } from 'electron';
import { createSecureWindow, loadPage } from './secure-window';

/** One preferences window: opened on demand, focused when already open. */
export function preferencesWindow() {
  let window: BrowserWindow | undefined;
  return {
    open(): void {
      if (window && !window.isDestroyed()) {
        window.show();
        window.focus();
        return;
      }
      window = createSecureWindow({ width: 880, height: 700, title: 'Kiyo Preferences', show: false });
      window.setMenuBarVisibility(false);
      window.once('ready-to-show', () => window?.show());
      window.on('closed', () => (window = undefined));
      void loadPage(window, 'preferences.html');
    },
    send(channel: string, payload: unknown): void {
      if (window && !window.isDestroyed()) window.webContents.send(channel, payload);
    },
  };
}
