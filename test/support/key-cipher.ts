import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretCipher } from '../../main/secrets/encrypted-secret-store';

/**
 * Stands in for the OS keychain behind Electron's safeStorage (which needs the Electron binary):
 * real AES-256-GCM with a key that lives only in this process, as the keychain's would. Pass the
 * same key to two ciphers to model one keychain; a new key models a keychain that was reset.
 */
export function keyCipher(key: Buffer = randomBytes(32)): SecretCipher {
  return {
    encryptString(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(encrypted) {
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}
