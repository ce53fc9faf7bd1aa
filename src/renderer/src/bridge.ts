import type { KiyoBridge } from '../../shared/ipc';

declare global {
  interface Window {
    kiyo?: KiyoBridge;
  }
}

/** The Electron preload's bridge. (Browser/OBS mode supplies the same interface over WebSocket.) */
export function getBridge(): KiyoBridge {
  if (!window.kiyo) throw new Error('Kiyo bridge missing: this page must run inside the Kiyo app.');
  return window.kiyo;
}
