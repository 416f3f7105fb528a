import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write';
import type { SecretStore } from './secret-store';

/** The part of Electron's `safeStorage` we use; passed in so this file never imports electron. */
export interface SecretCipher {
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** File holding the encrypted secrets, next to settings.json. */
export const SECRETS_FILE = 'secrets.json';

/**
 * Secrets encrypted by the OS keychain (Electron's safeStorage) and stored as base64 ciphertext
 * in `secrets.json` (mode 0600). The plain text is never written anywhere.
 */
export class EncryptedSecretStore implements SecretStore {
  readonly persistent = true;
  private readonly path: string;

  constructor(
    home: string,
    private readonly cipher: SecretCipher,
  ) {
    this.path = join(home, SECRETS_FILE);
  }

  async get(key: string): Promise<string | undefined> {
    const encrypted = (await this.load())[key];
    return encrypted === undefined
      ? undefined
      : this.cipher.decryptString(Buffer.from(encrypted, 'base64'));
  }

  async set(key: string, value: string): Promise<void> {
    const all = await this.load();
    all[key] = this.cipher.encryptString(value).toString('base64');
    await this.save(all);
  }

  async delete(key: string): Promise<void> {
    const all = await this.load();
    if (!Object.hasOwn(all, key)) return;
    delete all[key];
    await this.save(all);
  }

  private async load(): Promise<Record<string, string>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.path, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null) return {};
      return Object.fromEntries(
        Object.entries(parsed).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }

  private async save(all: Record<string, string>): Promise<void> {
    await writeFileAtomic(this.path, `${JSON.stringify(all, null, 2)}\n`);
  }
}
