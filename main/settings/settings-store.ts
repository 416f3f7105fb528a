import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Notice } from '../../common/app/app-info';
import { AppFailure } from '../../common/contract/result';
import { ZodError } from 'zod';
import { describeIssues } from '../../common/contract/validation';
import { sweepStaleTempFiles, writeFileAtomic } from '../fs/atomic-write';
import { withFileLock } from '../fs/file-lock';
import { quarantine } from '../fs/quarantine';
import { migrate, NewerSettingsError } from './migrations';
import { isErrnoError, settingsAccessFailure, settingsReadOnlyFailure } from './settings-errors';
import { watchFileInFolder } from './settings-watcher';
import {
  defaultSettings,
  SETTINGS_VERSION,
  settingsSchema,
  type Settings,
} from './settings-schema';

/** Name of the settings file inside LabDeck's home. */
export const SETTINGS_FILE = 'settings.json';
/** Held by whoever changes settings.json, in any process (app, browser mode, CLI). */
export const SETTINGS_LOCK_FILE = 'settings.json.lock';

/** What one look at settings.json found. */
type Loaded =
  | { readonly kind: 'current'; readonly settings: Settings }
  | { readonly kind: 'outdated'; readonly settings: Settings }
  | { readonly kind: 'missing' }
  | { readonly kind: 'corrupt'; readonly reason: string }
  | { readonly kind: 'newer'; readonly found: number };

/**
 * LabDeck's settings: one JSON file, schema-checked, migrated by version, written atomically with
 * mode 0600. The same code serves the desktop app, browser mode and any number of CLI processes,
 * all sharing one folder, so every change is a read-change-write under a lock (within this
 * process and across processes) on the file as it is on disk now — never on a copy read earlier.
 *
 * A file that cannot be read is never a crash and never silently lost: it is moved aside to
 * `settings.corrupt-<time>.json`, defaults take its place, and a notice tells the user where the
 * old file went. That happens only under the lock and after reading the file again, so a valid
 * file another process wrote meanwhile is never moved aside. A file from a newer LabDeck is left
 * untouched: reads get defaults, changes are refused with `settings-read-only`.
 */
export class SettingsStore {
  private readonly path: string;
  private readonly lockPath: string;
  private newerNoticeRaised = false;
  private opened: Promise<void> | undefined;

  /** @param onNotice told about every notice this store raises (reset, newer file), once. */
  constructor(
    home: string,
    private readonly onNotice: (notice: Notice) => void = () => {},
  ) {
    this.path = join(home, SETTINGS_FILE);
    this.lockPath = join(home, SETTINGS_LOCK_FILE);
  }

  /** Reads the settings, repairing or migrating the file first when needed. */
  async read(): Promise<Settings> {
    await this.open();
    const first = await this.load();
    if (first.kind === 'current') return first.settings;
    if (first.kind === 'newer') return this.newerDefaults(first.found);
    // Repairing writes, so look again under the lock: another process may have fixed it already.
    return this.locked(async () => {
      const loaded = await this.load();
      if (loaded.kind === 'newer') return this.newerDefaults(loaded.found);
      const settings = await this.settle(loaded); // a corrupt file is replaced right there
      if (loaded.kind === 'outdated' || loaded.kind === 'missing') await this.write(settings);
      return settings;
    });
  }

  /**
   * Applies `change` to the settings as they are on disk now and saves the result atomically,
   * while holding the lock, so concurrent changes from this or other processes all survive.
   */
  async update(change: (settings: Settings) => Settings): Promise<Settings> {
    await this.open();
    return this.locked(async () => {
      const loaded = await this.load();
      if (loaded.kind === 'newer') {
        this.newerDefaults(loaded.found);
        throw settingsReadOnlyFailure(loaded.found, this.path);
      }
      const next = settingsSchema.parse(change(await this.settle(loaded)));
      await this.write(next);
      return next;
    });
  }

  /**
   * Calls `onChange` soon after settings.json changed on disk, written by this or any other
   * process (the CLI, another window); resolves to the function that stops watching.
   */
  watch(onChange: () => void): Promise<() => void> {
    return watchFileInFolder(this.path, onChange);
  }

  /** Records a notice so that every LabDeck window shows it until it is dismissed. */
  async addNotice(notice: Notice): Promise<void> {
    await this.update((s) => ({
      ...s,
      notices: [...s.notices.filter((n) => n.id !== notice.id), notice],
    }));
  }

  /** Once per store: deletes temporary files left by writers that were killed mid-write. */
  private open(): Promise<void> {
    return (this.opened ??= sweepStaleTempFiles(this.path));
  }

  private locked<T>(task: () => Promise<T>): Promise<T> {
    return withFileLock(this.lockPath, task).catch((error: unknown) => {
      if (error instanceof AppFailure || !isErrnoError(error)) throw error;
      throw settingsAccessFailure('save', this.path, error);
    });
  }

  private async load(): Promise<Loaded> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
      throw settingsAccessFailure('read', this.path, error);
    }
    try {
      const document: unknown = JSON.parse(text);
      if (typeof document !== 'object' || document === null || Array.isArray(document)) {
        throw new Error('the file does not hold a JSON object');
      }
      const version = (document as { version?: unknown }).version;
      const settings = settingsSchema.parse(migrate(document as Record<string, unknown>));
      return { kind: version === SETTINGS_VERSION ? 'current' : 'outdated', settings };
    } catch (error) {
      if (error instanceof NewerSettingsError) return { kind: 'newer', found: error.found };
      const reason =
        error instanceof ZodError
          ? describeIssues(error)
          : error instanceof Error
            ? error.message
            : String(error);
      return { kind: 'corrupt', reason };
    }
  }

  /** The settings a loaded file stands for; call only while holding the lock. */
  private async settle(loaded: Exclude<Loaded, { kind: 'newer' }>): Promise<Settings> {
    switch (loaded.kind) {
      case 'current':
      case 'outdated':
        return loaded.settings;
      case 'missing':
        return defaultSettings();
      case 'corrupt':
        return this.moveCorruptAside(loaded.reason);
    }
  }

  private async write(settings: Settings): Promise<void> {
    try {
      await writeFileAtomic(this.path, `${JSON.stringify(settings, null, 2)}\n`);
    } catch (error) {
      throw isErrnoError(error) ? settingsAccessFailure('save', this.path, error) : error;
    }
  }

  private async moveCorruptAside(reason: string): Promise<Settings> {
    const notice = await quarantine(this.path, (aside) => ({
      message: `Your settings file could not be read (${reason}), so LabDeck started from defaults.`,
      hint: `The unreadable file was kept as ${aside}. Copy anything you need from it, then dismiss this notice.`,
    }));
    const settings: Settings = { ...defaultSettings(), notices: [notice] };
    await this.write(settings);
    this.onNotice(notice);
    return settings;
  }

  private newerDefaults(found: number): Settings {
    const notice: Notice = {
      id: `settings-newer-${found}`,
      level: 'warning',
      message: `Your settings were written by a newer LabDeck (settings version ${found}); they are read-only in this one, which shows defaults and will not overwrite them.`,
      hint: 'Update LabDeck to the newest version to use your settings again.',
    };
    if (!this.newerNoticeRaised) this.onNotice(notice);
    this.newerNoticeRaised = true;
    return { ...defaultSettings(), notices: [notice] };
  }
}
