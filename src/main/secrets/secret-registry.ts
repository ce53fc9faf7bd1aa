/**
 * The one place that knows what must never leave main: the API key(s) in use, plus anything
 * shaped like a credential (OpenAI-style keys, bearer tokens, user:password in a URL). Every
 * channel out of main — pipeline events to both windows and the browser-mode WebSocket,
 * preferences IPC results, dialogs and log lines — passes its text through {@link redact}.
 *
 * Pure Node, so the pipeline, the CLI and the tests share it.
 */

export const REDACTED = '[redacted]';

// Shaped like a credential, whatever the configured key is. `Bearer` is matched as HTTP writes it
// (capitalised), so prose in a reply ("the bearer of bad news") is left alone.
const KEY_SHAPES: RegExp[] = [/\bsk-[A-Za-z0-9_-]{8,}/g, /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g];
// scheme://user:password@host → scheme://[redacted]@host (also a user name alone: it may be a token).
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@?#]+@/gi;

/** Shortest registered secret: anything shorter would blank out ordinary words. */
const MIN_SECRET = 6;

/** Removes user name and password from URLs in `text`; the rest of the URL stays readable. */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
}

export class SecretRegistry {
  private readonly secrets = new Set<string>();
  /** Longest first, so a piece of a key never leaves the rest of it readable. */
  private ordered: string[] = [];

  /**
   * Registers a secret. A key that was pasted with a line break is also registered piece by piece
   * and in its JSON-escaped form, because error texts quote it in all of those shapes.
   */
  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET) return;
    const forms = [secret, JSON.stringify(secret).slice(1, -1), ...secret.split(/[\s\p{Cc}]+/u)];
    for (const form of forms) if (form.length >= MIN_SECRET) this.secrets.add(form);
    this.ordered = [...this.secrets].sort((a, b) => b.length - a.length);
  }

  /** True when `text` contains something this registry would hide. */
  leaks(text: string): boolean {
    return this.redact(text) !== text;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.ordered) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const shape of KEY_SHAPES)
      out = out.replace(
        shape,
        (_match, prefix?: unknown) => `${typeof prefix === 'string' ? prefix : ''}${REDACTED}`,
      );
    return redactUrlCredentials(out);
  }

  /**
   * A copy of `value` with every string in it redacted (plain objects and arrays are walked; byte
   * arrays such as audio are passed through untouched). Returns `value` itself when nothing changed,
   * so the common case allocates nothing.
   */
  redactDeep<T>(value: T): T {
    return this.walk(value, 0) as T;
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (typeof value !== 'object' || value === null || depth > 20 || ArrayBuffer.isView(value)) return value;
    if (value instanceof Error) return this.redact(value.message);
    if (Array.isArray(value)) {
      const items = value.map((item) => this.walk(item, depth + 1));
      return items.some((item, i) => item !== value[i]) ? items : value;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype) return value;
    let copy: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const redacted = this.walk(item, depth + 1);
      if (redacted !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = redacted;
    }
    return copy ?? value;
  }
}
