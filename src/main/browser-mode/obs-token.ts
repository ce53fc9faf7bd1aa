import { randomBytes } from 'node:crypto';
import Store from 'electron-store';

/**
 * The secret path segment of the browser/OBS page, made once and kept, so an OBS source set up
 * with its URL keeps working across restarts.
 */
export function obsToken(): string {
  const store = new Store<{ obsToken?: string }>({ name: 'browser-mode' });
  let token = store.get('obsToken');
  if (!token) {
    token = randomBytes(18).toString('base64url');
    store.set('obsToken', token);
  }
  return token;
}
