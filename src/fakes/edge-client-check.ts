import { createHash } from 'node:crypto';

/**
 * The checks the Edge read-aloud service makes before it upgrades a connection: the query carries
 * the read-aloud extension's public `TrustedClientToken`, a `Sec-MS-GEC` proof derived from the
 * clock and that token, and the browser's `Sec-MS-GEC-Version`. Written from the protocol, not
 * from any client, so a client that stops sending them fails here as it would against the service.
 */

/** The public token of Edge's read-aloud extension; the service refuses any other. */
export const TRUSTED_CLIENT_TOKEN = '6A5AA1D4EAFF4E9FB37E23D68491D6F4';

/** Seconds between 1601-01-01 (Windows file time) and 1970-01-01. */
const WINDOWS_EPOCH_OFFSET_S = 11_644_473_600n;
/** The proof changes every five minutes. */
const WINDOW_S = 300n;

/** The `Sec-MS-GEC` value for the five-minute window containing `nowMs`. */
export function secMsGec(nowMs: number, token = TRUSTED_CLIENT_TOKEN): string {
  const seconds = BigInt(Math.floor(nowMs / 1000)) + WINDOWS_EPOCH_OFFSET_S;
  const windowStart = seconds - (seconds % WINDOW_S);
  // In 100-ns ticks, as Windows counts file time.
  const ticks = windowStart * 10_000_000n;
  return createHash('sha256').update(`${ticks}${token}`).digest('hex').toUpperCase();
}

/**
 * Why the service would refuse a connection to `url`, or undefined when it would accept it.
 * The previous and next windows are accepted too: a client's clock is never exactly ours.
 */
export function refusalOf(url: URL, nowMs = Date.now()): string | undefined {
  const query = url.searchParams;
  const token = query.get('TrustedClientToken');
  if (!token) return 'missing TrustedClientToken';
  if (token !== TRUSTED_CLIENT_TOKEN) return 'unknown TrustedClientToken';
  const proof = query.get('Sec-MS-GEC');
  if (!proof) return 'missing Sec-MS-GEC';
  const windowMs = Number(WINDOW_S) * 1000;
  const accepted = [-windowMs, 0, windowMs].map((shift) => secMsGec(nowMs + shift));
  if (!accepted.includes(proof)) return 'invalid or expired Sec-MS-GEC';
  const version = query.get('Sec-MS-GEC-Version');
  if (!version) return 'missing Sec-MS-GEC-Version';
  if (!/^1-\d+\.\d+\.\d+\.\d+$/.test(version)) return 'malformed Sec-MS-GEC-Version';
  return undefined;
}
