import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Notice } from '../../common/app/app-info';
import { sweepStaleTempFiles, writeFileAtomic } from '../fs/atomic-write';
import { withFileLock } from '../fs/file-lock';
import { quarantine } from '../fs/quarantine';
import type { SecretStore } from './secret-store';

/** The part of Electron's `safeStorage` we use; passed in so this file never imports electron. */
export interface SecretCipher {
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** File holding the encrypted secrets, next to settings.json. */
export const SECRETS_FILE = 'secrets.json';
/** Held by whoever changes secrets.json, in any process. */
const SECRETS_LOCK_FILE = 'secrets.json.lock';

/** What one look at secrets.json found. */
type Loaded =
  | { readonly kind: 'ok'; readonly secrets: Record<string, string> }
  | { readonly kind: 'corrupt'; readonly reason: string };

/**
 * Secrets encrypted by the OS keychain (Electron's safeStorage) and stored as base64 ciphertext
 * in `secrets.json` (mode 0600). The plain text is never written anywhere.
 *
 * Like settings, a file that cannot be read is moved aside (`secrets.corrupt-<time>.json`) with
 * a notice, and LabDeck asks for the secrets again — instead of failing every login that needed
 * one. Changes are made under a lock, on the file as it is on disk now.
 */
export class EncryptedSecretStore implements SecretStore {
  readonly persistent = true;
  private readonly path: string;
  private readonly lockPath: string;
  private listeners: ((notice: Notice) => void)[] = [];
  private opened: Promise<void> | undefined;

  constructor(
    home: string,
    private readonly cipher: SecretCipher,
  ) {
    this.path = join(home, SECRETS_FILE);
    this.lockPath = join(home, SECRETS_LOCK_FILE);
  }

  /** Calls `listener` with every notice this store raises (a corrupt file moved aside). */
  onNotice(listener: (notice: Notice) => void): void {
    this.listeners.push(listener);
  }

  /**
   * The remembered secret, or undefined when there is none or it cannot be decrypted (the
   * keychain's key changed): either way the user is asked again, and a new answer replaces it.
   */
  async get(key: string): Promise<string | undefined> {
    const encrypted = (await this.readAll())[key];
    if (encrypted === undefined) return undefined;
    try {
      return this.cipher.decryptString(Buffer.from(encrypted, 'base64'));
    } catch {
      return undefined;
    }
  }

  /** Encrypts and stores `value` under `key`. */
  async set(key: string, value: string): Promise<void> {
    const encrypted = this.cipher.encryptString(value).toString('base64');
    await this.change((all) => ({ ...all, [key]: encrypted }));
  }

  /** Forgets the secret under `key`. */
  async delete(key: string): Promise<void> {
    await this.change((all) => {
      if (!Object.hasOwn(all, key)) return undefined;
      const { [key]: _removed, ...rest } = all;
      return rest;
    });
  }

  private async readAll(): Promise<Record<string, string>> {
    await this.open();
    const first = await this.load();
    if (first.kind === 'ok') return first.secrets;
    // Look again under the lock before moving anything aside: a writer may have just fixed it.
    return withFileLock(this.lockPath, async () => this.settle(await this.load()));
  }

  /** Read-change-write under the lock; `edit` returns undefined when nothing changes. */
  private async change(
    edit: (all: Record<string, string>) => Record<string, string> | undefined,
  ): Promise<void> {
    await this.open();
    await withFileLock(this.lockPath, async () => {
      const next = edit(await this.settle(await this.load()));
      if (next !== undefined)
        await writeFileAtomic(this.path, `${JSON.stringify(next, null, 2)}\n`);
    });
  }

  /** Once per store: deletes temporary files left by writers that were killed mid-write. */
  private open(): Promise<void> {
    return (this.opened ??= sweepStaleTempFiles(this.path));
  }

  private async load(): Promise<Loaded> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'ok', secrets: {} };
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return { kind: 'corrupt', reason: (error as Error).message };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { kind: 'corrupt', reason: 'the file does not hold a JSON object' };
    }
    return {
      kind: 'ok',
      secrets: Object.fromEntries(
        Object.entries(parsed).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      ),
    };
  }

  /** The secrets a loaded file stands for; call only while holding the lock. */
  private async settle(loaded: Loaded): Promise<Record<string, string>> {
    if (loaded.kind === 'ok') return loaded.secrets;
    const notice = await quarantine(this.path, (aside) => ({
      message: `Your remembered passwords and passphrases could not be read (${loaded.reason}), so LabDeck will ask for them again.`,
      hint: `The unreadable file was kept as ${aside}; it holds only encrypted values. Delete it once you have logged in again.`,
    }));
    for (const listener of this.listeners) listener(notice);
    return {};
  }
}
