import { EncryptedSecretStore, type SecretCipher } from '../secrets/encrypted-secret-store';
import { MemorySecretStore, type SecretStore } from '../secrets/secret-store';

/**
 * The part of Electron's `safeStorage` we use; Electron's object satisfies it, and tests pass a
 * stand-in, so this file never imports electron at runtime.
 */
export interface SafeStorageLike extends SecretCipher {
  isEncryptionAvailable(): boolean;
  /** Linux only: which keyring encrypts. Not called on other platforms. */
  getSelectedStorageBackend(): string;
}

/**
 * On Linux without a keyring, Chromium "encrypts" with a hard-coded password; that backend is
 * reported as `basic_text` and protects nothing.
 * See https://www.electronjs.org/docs/latest/api/safe-storage#safestoragegetselectedstoragebackend-linux
 */
const UNPROTECTED_LINUX_BACKEND = 'basic_text';

/** True when `safeStorage` really encrypts with an OS keychain (call after app `ready`). */
export function isKeychainEncryption(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return (
    platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== UNPROTECTED_LINUX_BACKEND
  );
}

/**
 * Where the desktop app keeps remembered secrets: encrypted on disk by the OS keychain when one
 * really encrypts, otherwise only in memory for this run, so a password is never written to disk
 * under an encryption that is not one. The UI says which (`secretsPersistent`).
 */
export function createSecretStore(
  home: string,
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): SecretStore {
  return isKeychainEncryption(safeStorage, platform)
    ? new EncryptedSecretStore(home, safeStorage)
    : new MemorySecretStore();
}
