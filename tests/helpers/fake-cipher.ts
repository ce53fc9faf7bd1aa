import type { SecretCipher } from '../../src/main/settings/settings-persistence';

/** Reversible XOR + base64 with a marker, so decrypting anything it did not encrypt throws. */
export function fakeCipher(available = true): SecretCipher & { available: boolean } {
  const xor = (bytes: Buffer) => Buffer.from(bytes.map((b) => b ^ 0x5a));
  return {
    available,
    isAvailable() {
      return this.available;
    },
    encrypt(plain) {
      if (!this.available) throw new Error('encryption unavailable');
      return Buffer.concat([Buffer.from('FAKE'), xor(Buffer.from(plain, 'utf8'))]).toString('base64');
    },
    decrypt(cipher) {
      const bytes = Buffer.from(cipher, 'base64');
      if (bytes.subarray(0, 4).toString() !== 'FAKE') throw new Error('bad ciphertext');
      return xor(bytes.subarray(4)).toString('utf8');
    },
  };
}
