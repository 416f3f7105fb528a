import { SETTINGS_VERSION } from './settings-schema';

/**
 * Our own versioned migrations: `migrations[n]` turns a version-`n` document into version `n+1`.
 * They work on plain JSON so that an old shape never has to exist as a type. A file with no
 * `version` is treated as version 0 (a hand-written or pre-release file).
 */
export const migrations: Readonly<
  Record<number, (old: Record<string, unknown>) => Record<string, unknown>>
> = {
  0: (old) => ({ ...old, version: 1 }),
  1: (old) => ({ ...old, version: 2, hosts: [] }),
};

/** Raised when the file was written by a newer LabDeck: we must not rewrite what we cannot read. */
export class NewerSettingsError extends Error {
  constructor(readonly found: number) {
    super(`settings version ${found} is newer than this LabDeck understands (${SETTINGS_VERSION})`);
  }
}

/** Applies every migration from the document's version up to {@link SETTINGS_VERSION}. */
export function migrate(document: Record<string, unknown>): Record<string, unknown> {
  let current = document;
  let version = typeof current.version === 'number' ? current.version : 0;
  if (version > SETTINGS_VERSION) throw new NewerSettingsError(version);
  while (version < SETTINGS_VERSION) {
    const step = migrations[version];
    if (!step) throw new Error(`no settings migration from version ${version}`);
    current = step(current);
    version += 1;
  }
  return current;
}
