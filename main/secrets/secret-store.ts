import type { Notice } from '../../common/app/app-info';

/**
 * Where LabDeck keeps passwords and passphrases the user asked it to remember. Secrets never go
 * into settings.json; only these stores hold them.
 */
export interface SecretStore {
  /** True when secrets survive a restart (an OS keychain encrypts them on disk). */
  readonly persistent: boolean;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Subscribes to the notices the store raises (a store on disk moves a corrupt file aside). */
  onNotice?(listener: (notice: Notice) => void): void;
}

/**
 * Secrets for the lifetime of this process only: used by browser mode and the CLI, which have no
 * OS keychain to encrypt with. The UI says so wherever it offers to remember a secret.
 */
export class MemorySecretStore implements SecretStore {
  readonly persistent = false;
  private readonly values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}
