/**
 * How long a server asks a client to wait before retrying, from `retry-after-ms` (OpenAI's
 * extension, in ms) or `Retry-After` (RFC 9110: delay-seconds or an HTTP date). Undefined when the
 * server did not say, or said something unreadable. Never negative.
 */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const millis = headers?.get('retry-after-ms')?.trim();
  if (millis && /^\d+(\.\d+)?$/.test(millis)) return Number.parseFloat(millis);
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number.parseFloat(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter when the server gave no wait: 0.5 s, 1 s, 2 s … at most 8 s. */
export function backoffMs(retry: number): number {
  return Math.min(500 * 2 ** retry, 8000) * (1 - Math.random() * 0.25);
}

/** "50", "0.04", "1.5": seconds as a person reads them. */
export function seconds(ms: number): string {
  return String(Math.round(ms / 10) / 100);
}
