/**
 * `https://api.openai.com` for `https://api.openai.com/v1`; '' when `url` is not a URL with an
 * origin. Shared so that main (which binds the API key to an origin) and Preferences (which asks
 * before the key may go to a new one) compare the same thing.
 */
export function originOf(url: string): string {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? '' : origin;
  } catch {
    return '';
  }
}
