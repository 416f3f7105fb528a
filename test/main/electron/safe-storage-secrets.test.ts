import { describe, expect, it } from 'vitest';
import {
  createSecretStore,
  isKeychainEncryption,
  type SafeStorageLike,
} from '../../../main/electron/safe-storage-secrets';
import { EncryptedSecretStore } from '../../../main/secrets/encrypted-secret-store';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import { tempHome } from '../../support/temp-home';

/** A stand-in for Electron's safeStorage: reversible, and visibly not plain text. */
function safeStorage(
  available: boolean,
  backend: string,
): SafeStorageLike & { backendAsked: number } {
  const fake = {
    backendAsked: 0,
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => {
      fake.backendAsked += 1;
      return backend;
    },
    encryptString: (plain: string) => Buffer.from(plain, 'utf8').reverse(),
    decryptString: (encrypted: Buffer) => Buffer.from(encrypted).reverse().toString('utf8'),
  };
  return fake;
}

describe('isKeychainEncryption', () => {
  it('is false when safeStorage cannot encrypt', () => {
    expect(isKeychainEncryption(safeStorage(false, 'gnome_libsecret'), 'linux')).toBe(false);
    expect(isKeychainEncryption(safeStorage(false, 'unknown'), 'darwin')).toBe(false);
  });

  it("is false on Linux with Chromium's hard-coded-password backend", () => {
    expect(isKeychainEncryption(safeStorage(true, 'basic_text'), 'linux')).toBe(false);
  });

  it('is true with a real Linux keyring', () => {
    for (const backend of ['gnome_libsecret', 'kwallet5', 'kwallet6']) {
      expect(isKeychainEncryption(safeStorage(true, backend), 'linux')).toBe(true);
    }
  });

  it('does not ask for the Linux-only backend elsewhere', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const storage = safeStorage(true, 'basic_text');
      expect(isKeychainEncryption(storage, platform)).toBe(true);
      expect(storage.backendAsked).toBe(0);
    }
  });
});

describe('createSecretStore', () => {
  it('persists through the keychain when it really encrypts', async () => {
    const home = await tempHome();
    const store = createSecretStore(home, safeStorage(true, 'gnome_libsecret'), 'linux');
    expect(store).toBeInstanceOf(EncryptedSecretStore);
    expect(store.persistent).toBe(true);
    await store.set('ssh:gpu1', 'hunter2');
    expect(await store.get('ssh:gpu1')).toBe('hunter2');
  });

  it('keeps secrets in memory only when it does not', async () => {
    const home = await tempHome();
    const store = createSecretStore(home, safeStorage(true, 'basic_text'), 'linux');
    expect(store).toBeInstanceOf(MemorySecretStore);
    expect(store.persistent).toBe(false);
  });
});
