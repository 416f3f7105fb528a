import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Notice } from '../../common/app/app-info';
import { ZodError } from 'zod';
import { describeIssues } from '../../common/contract/validation';
import { writeFileAtomic } from '../fs/atomic-write';
import { migrate, NewerSettingsError } from './migrations';
import { defaultSettings, settingsSchema, type Settings } from './settings-schema';

/** Name of the settings file inside LabDeck's home. */
export const SETTINGS_FILE = 'settings.json';

/**
 * LabDeck's settings: one JSON file, schema-checked, migrated by version, written atomically with
 * mode 0600. The same code serves the desktop app, browser mode and the CLI.
 *
 * A file that cannot be read is never a crash and never silently lost: it is moved aside to
 * `settings.corrupt-<time>.json`, defaults take its place, and a notice tells the user where the
 * old file went. A file from a newer LabDeck is left untouched and used read-only as defaults.
 */
export class SettingsStore {
  private readonly path: string;
  private readOnly = false;

  /** @param onNotice told about every notice this store raises (reset, newer file), once. */
  constructor(
    private readonly home: string,
    private readonly onNotice: (notice: Notice) => void = () => {},
  ) {
    this.path = join(home, SETTINGS_FILE);
  }

  /** Reads the settings, repairing or migrating the file first when needed. */
  async read(): Promise<Settings> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const settings = defaultSettings();
      await this.write(settings);
      return settings;
    }
    try {
      const document: unknown = JSON.parse(text);
      if (typeof document !== 'object' || document === null || Array.isArray(document)) {
        throw new Error('the file does not hold a JSON object');
      }
      const version = (document as { version?: unknown }).version;
      const settings = settingsSchema.parse(migrate(document as Record<string, unknown>));
      if (version !== settings.version) await this.write(settings);
      return settings;
    } catch (error) {
      if (error instanceof NewerSettingsError) return this.useNewerFile(error);
      return this.replaceCorrupt(error);
    }
  }

  /** Applies `change` to the current settings on disk and saves the result atomically. */
  async update(change: (settings: Settings) => Settings): Promise<Settings> {
    const next = settingsSchema.parse(change(await this.read()));
    await this.write(next);
    return next;
  }

  /** Records a notice so that every LabDeck window shows it until it is dismissed. */
  async addNotice(notice: Notice): Promise<void> {
    await this.update((s) => ({
      ...s,
      notices: [...s.notices.filter((n) => n.id !== notice.id), notice],
    }));
  }

  private async write(settings: Settings): Promise<void> {
    if (this.readOnly) return;
    await writeFileAtomic(this.path, `${JSON.stringify(settings, null, 2)}\n`);
  }

  private async replaceCorrupt(error: unknown): Promise<Settings> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const aside = join(this.home, `settings.corrupt-${stamp}.json`);
    await rename(this.path, aside);
    const reason =
      error instanceof ZodError
        ? describeIssues(error)
        : error instanceof Error
          ? error.message
          : String(error);
    const settings: Settings = {
      ...defaultSettings(),
      notices: [
        {
          id: `settings-reset-${stamp}`,
          level: 'warning',
          message: `Your settings file could not be read (${reason}), so LabDeck started from defaults.`,
          hint: `The unreadable file was kept as ${aside}. Copy anything you need from it, then dismiss this notice.`,
        },
      ],
    };
    await this.write(settings);
    for (const notice of settings.notices) this.onNotice(notice);
    return settings;
  }

  private useNewerFile(error: NewerSettingsError): Settings {
    const first = !this.readOnly;
    this.readOnly = true;
    const settings: Settings = {
      ...defaultSettings(),
      notices: [
        {
          id: `settings-newer-${error.found}`,
          level: 'warning',
          message: `Your settings were saved by a newer LabDeck (settings version ${error.found}); this one uses defaults and will not overwrite them.`,
          hint: 'Update LabDeck to the newest version to use your settings again.',
        },
      ],
    };
    if (first) for (const notice of settings.notices) this.onNotice(notice);
    return settings;
  }
}
