import { z } from 'zod';

/** Rules shared by every base URL and API key field (the LLM's and any voice service's). */

/** Why a base URL is refused, with what to type instead (a missing scheme is the usual slip). */
export function urlProblem(input: unknown, example = 'for example http://localhost:11434/v1'): string {
  const text = typeof input === 'string' ? input.trim() : '';
  if (!/^[a-z][a-z\d+.-]*:\/\//i.test(text)) return `Add http:// or https:// — ${example}`;
  if (!/^https?:/i.test(text)) return `Use an http:// or https:// address — ${example}`;
  return `Not a valid web address — ${example}`;
}

/** Visible ASCII only: a space, line break or control character would break the Authorization header. */
export const API_KEY_CHARACTERS = /^[\x21-\x7e]*$/;

export const API_KEY_CHARACTERS_MESSAGE =
  'an API key has no spaces, line breaks or other invisible characters; copy it again and paste only the key';

export const URL_CREDENTIALS_MESSAGE =
  'a base URL cannot contain a user name or password (user:pass@); put the API key in the API key field';

/** True for a URL that carries a user name or password (`https://user:pass@host`). */
export function hasCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}

/** An http(s) base URL without credentials in it; `example` goes into the refusal message. */
export function baseUrlField(example: string) {
  return z
    .url({ protocol: /^https?$/, error: (issue) => urlProblem(issue.input, example) })
    .refine((url) => !hasCredentials(url), { message: URL_CREDENTIALS_MESSAGE });
}

/** An API key (empty for local servers) and the origin it is bound to, as every key setting has. */
export function apiKeyFields() {
  return {
    apiKey: z
      .string()
      .max(500)
      .regex(API_KEY_CHARACTERS, { message: API_KEY_CHARACTERS_MESSAGE })
      .default('')
      .describe(
        'API key; empty for local servers. Stored encrypted by the desktop app, never in plain text.',
      ),
    apiKeyOrigin: z
      .string()
      .max(300)
      .default('')
      .describe(
        'Origin (scheme://host:port) the API key was entered or confirmed for; the key is sent to no other server. Set by the app.',
      ),
  };
}
