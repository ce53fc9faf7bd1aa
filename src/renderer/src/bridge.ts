import type { KiyoBridge } from '../../shared/ipc';
import { createWebSocketBridge } from './transport/websocket-bridge';

declare global {
  interface Window {
    kiyo?: KiyoBridge;
  }
}

/**
 * Electron's preload bridge when inside the app; otherwise the page was served by the app's
 * browser/OBS server under /<token>/, and the WebSocket next to it carries the same API.
 */
export function getBridge(): KiyoBridge {
  if (window.kiyo) return window.kiyo;
  if (location.protocol === 'http:' || location.protocol === 'https:') {
    const base = location.pathname.replace(/[^/]*$/, '');
    return createWebSocketBridge(
      `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${base}ws`,
    );
  }
  throw new Error('Kiyo bridge missing: open this page from the Kiyo app.');
}
