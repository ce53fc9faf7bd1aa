import { app, session, type Session } from 'electron';
import { isOwnPage, rendererLocation, type RendererLocation } from './renderer-location';
import { RENDERER_DIR } from './secure-window';

/**
 * The Content-Security-Policy header main adds to every response. scripts/security-check.mjs
 * reads this constant and fails the build if it ever allows eval or remote scripts.
 * 'wasm-unsafe-eval' compiles WebAssembly (the MP3 decoder, onnxruntime-web for the ear's voice
 * activity detection); onnxruntime's loader, the VAD's audio worklet and the voice-detector worker
 * (a module worker bundled into assets/, which runs Silero off the page's main thread) are the app's
 * own files, so script-src 'self' covers them (no worker-src: it falls back to script-src), and the
 * model and .wasm are fetched from 'self' too.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The one page that may use the microphone: the overlay, whose ear listens to the user. */
const EAR_PAGE = 'index.html';

export interface PermissionAsk {
  permission: string;
  /** The URL of the frame asking (not just its origin: every file:// page shares one). */
  url: string;
  isMainFrame: boolean;
  /** What a media request or check is for: 'audio', 'video' (and 'unknown' for some checks). */
  mediaTypes: readonly string[];
}

/**
 * The whole permission rule: the microphone (media, audio only) for the overlay page's main
 * frame, served from the app's own renderer folder (or the dev server in development); nothing
 * else for anyone — no camera, screen capture, notifications, devices, and no microphone for
 * Preferences, subframes or any other URL.
 */
export function isPermissionAllowed(location: RendererLocation, ask: PermissionAsk): boolean {
  if (ask.permission !== 'media' || !ask.isMainFrame) return false;
  if (ask.mediaTypes.length === 0 || ask.mediaTypes.some((type) => type !== 'audio')) return false;
  return isOwnPage(location, ask.url, EAR_PAGE);
}

/**
 * Every page gets the CSP header; permission requests and checks go through isPermissionAllowed,
 * device (HID, serial, USB) permissions are always refused.
 */
export function applySessionPolicy(
  target: Session = session.defaultSession,
  location: RendererLocation = rendererLocation({ isPackaged: app.isPackaged, dir: RENDERER_DIR }),
): void {
  target.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  target.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const media = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(
      isPermissionAllowed(location, {
        permission,
        url: details.requestingUrl,
        isMainFrame: details.isMainFrame,
        mediaTypes: media,
      }),
    );
  });
  target.setPermissionCheckHandler((_contents, permission, _origin, details) =>
    isPermissionAllowed(location, {
      permission,
      url: details.requestingUrl ?? '',
      isMainFrame: details.isMainFrame,
      mediaTypes: details.mediaType ? [details.mediaType] : [],
    }),
  );
  target.setDevicePermissionHandler(() => false);
}
