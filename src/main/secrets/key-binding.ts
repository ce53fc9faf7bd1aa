import { originOf } from '../../shared/origin';
import type { LlmSettings } from '../../shared/settings';

export { originOf };

/**
 * An API key is bound to the origin (scheme://host:port) it was entered or confirmed for, so that
 * changing the base URL — by a preset, a typo or a compromised renderer — never hands the key to
 * another host. And it never travels over plain http except to this computer.
 */

/** localhost, 127.0.0.0/8 and ::1: traffic that never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
  );
}

/** Why a key may not go to `url`, in words; undefined when it may. */
export function insecureKeyDestination(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'the base URL is not a valid URL';
  }
  if (parsed.protocol === 'https:' || isLoopbackHost(parsed.hostname)) return undefined;
  return `Kiyo does not send an API key over plain http to ${parsed.host}, where anyone on the way could read it. Use an https:// base URL, or a server on this computer.`;
}

export type KeyDecision =
  /** Send this key (may be '' when there is none). */
  | { key: string; withheld?: undefined; refuse?: undefined }
  /** A key is stored but not for this origin: the request goes without it; `withheld` says why. */
  | { key: ''; withheld: string; refuse: false }
  /** The key is for this origin but the connection is not safe for it: do not send the request. */
  | { key: ''; withheld: string; refuse: true };

/** Which key (if any) a request to `llm.baseUrl` may carry. */
export function apiKeyFor(llm: Pick<LlmSettings, 'baseUrl' | 'apiKey' | 'apiKeyOrigin'>): KeyDecision {
  if (llm.apiKey === '') return { key: '' };
  const origin = originOf(llm.baseUrl);
  if (!origin || llm.apiKeyOrigin !== origin) {
    return {
      key: '',
      refuse: false,
      withheld:
        `The saved API key is for ${llm.apiKeyOrigin || 'another server'}, so it was not sent to ${origin || llm.baseUrl}. ` +
        'In Preferences → LLM, confirm the saved key for this server or enter its own key.',
    };
  }
  const insecure = insecureKeyDestination(llm.baseUrl);
  if (insecure) return { key: '', refuse: true, withheld: insecure };
  return { key: llm.apiKey };
}
