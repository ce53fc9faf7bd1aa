import { session, type Session } from 'electron';

/**
 * The Content-Security-Policy header main adds to every response. scripts/security-check.mjs
 * reads this constant and fails the build if it ever allows eval or remote scripts.
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

/**
 * Every page gets the CSP header, and no page gets a permission: Kiyo needs no camera,
 * microphone, notifications or devices yet, so checks and requests alike are refused.
 */
export function applySessionPolicy(target: Session = session.defaultSession): void {
  target.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  target.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  target.setPermissionCheckHandler(() => false);
  target.setDevicePermissionHandler(() => false);
}
