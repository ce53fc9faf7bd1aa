import { safeStorage } from 'electron';
import type { SecretCipher } from './settings-persistence';

/**
 * The OS keychain (macOS Keychain, Windows DPAPI, libsecret/kwallet on Linux) behind the
 * SecretCipher interface. Only usable after `app.whenReady()`: before that Linux reports no
 * encryption, and the key would silently not be persisted.
 *
 * On Linux without a keyring Electron falls back to `basic_text`, which "encrypts" with a
 * password hard-coded in Chromium: that is plain text with extra steps, so it counts as not
 * available unless the caller opts in.
 */
export function createSafeStorageCipher(options: { allowBasicText?: boolean } = {}): SecretCipher {
  return {
    isAvailable: () =>
      safeStorage.isEncryptionAvailable() &&
      (process.platform !== 'linux' ||
        options.allowBasicText === true ||
        safeStorage.getSelectedStorageBackend() !== 'basic_text'),
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (cipher) => safeStorage.decryptString(Buffer.from(cipher, 'base64')),
  };
}
