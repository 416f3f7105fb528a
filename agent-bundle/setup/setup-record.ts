import { mkdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppFailure } from '../../common/contract/result';
import { recordFileSchema, type RecordEntry } from '../../common/host-setup/setup-record-schema';
import { writeRootFile } from './root-file';

export type { RecordEntry } from '../../common/host-setup/setup-record-schema';

/**
 * Host setup's undo record, `ROOT/var/lib/labdeck/setup/record.json`: every path and group
 * setup created or replaced, in order, with how it was before the first setup touched it (a
 * copy of a replaced file in `backups/`). A later run adds only what is new to it, so
 * `--undo` always goes back to the host as it was before LabDeck, whatever ran in between.
 */

const RECORD_FILE = 'record.json';
const BACKUP_DIR = 'backups';
const PRIVATE_DIR_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;

function damaged(file: string): AppFailure {
  return new AppFailure({
    code: 'setup-record-damaged',
    message: `The setup record ${file} is damaged, so LabDeck cannot tell what setup changed; nothing was changed.`,
    hint: `Look at it (sudo cat ${file}); undo by hand what it lists, or move it away to start a new record.`,
  });
}

/** The record as kept on disk; entries are appended as changes are made. */
export class SetupRecord {
  /** The record as it was loaded: what a failed run puts back. */
  private readonly loaded: RecordEntry[];
  /** This process made the backups directory (a failed run removes it again when empty). */
  private madeBackupDir = false;

  private constructor(
    private readonly dir: string,
    readonly entries: RecordEntry[],
  ) {
    this.loaded = structuredClone(entries);
  }

  /** Reads the record in `dir` (empty when there is none). Throws for a damaged one. */
  static async load(dir: string): Promise<SetupRecord> {
    const file = join(dir, RECORD_FILE);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new SetupRecord(dir, []);
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw damaged(file);
    }
    const parsed = recordFileSchema.safeParse(json);
    if (!parsed.success) throw damaged(file);
    return new SetupRecord(dir, parsed.data.entries);
  }

  /** True when the record already says how `path` was before setup. */
  knows(path: string): boolean {
    return this.entries.some((entry) => entry.kind !== 'group' && entry.path === path);
  }

  /** Keeps a copy of a file about to be replaced; returns the name it is kept under. */
  async backup(bytes: Buffer): Promise<string> {
    const name = `${Date.now()}-${randomBytes(4).toString('hex')}`;
    const made = await mkdir(join(this.dir, BACKUP_DIR), {
      recursive: true,
      mode: PRIVATE_DIR_MODE,
    });
    if (made !== undefined) this.madeBackupDir = true;
    await writeRootFile(join(this.dir, BACKUP_DIR, name), bytes, { mode: PRIVATE_FILE_MODE });
    return name;
  }

  /** The bytes kept under `name` by {@link backup}. */
  restore(name: string): Promise<Buffer> {
    return readFile(join(this.dir, BACKUP_DIR, name));
  }

  /** Drops a copy nobody needs any more (a run's own, once the run succeeded). */
  async discardBackup(name: string): Promise<void> {
    await rm(join(this.dir, BACKUP_DIR, name), { force: true });
  }

  /** True when `name` is the backup of an entry in the record (undo still needs it). */
  holds(name: string): boolean {
    return this.entries.some(
      (entry) => entry.kind === 'file' && entry.before !== 'absent' && entry.before.backup === name,
    );
  }

  /** Notes the sha256 of what setup wrote to `path` now, so undo can tell a later edit. */
  async wrote(path: string, sha256: string): Promise<void> {
    const at = this.entries.findIndex((entry) => entry.kind === 'file' && entry.path === path);
    const entry = this.entries[at];
    if (entry === undefined || entry.kind !== 'file' || entry.wrote === sha256) return;
    this.entries[at] = { ...entry, wrote: sha256 };
    await this.save();
  }

  /** Appends `entry` and saves the record at once (atomic replace), so a crash loses nothing. */
  async add(entry: RecordEntry): Promise<void> {
    this.entries.push(entry);
    await this.save();
  }

  /** Drops `entry` (undone) and saves. */
  async drop(entry: RecordEntry): Promise<void> {
    const at = this.entries.indexOf(entry);
    if (at !== -1) this.entries.splice(at, 1);
    await this.save();
  }

  /**
   * Puts the record back as it was loaded, for a run that failed and took its changes back: its
   * notes of what it wrote go too, and the backups directory if this run made it and it is empty.
   */
  async revert(): Promise<void> {
    this.entries.splice(0, this.entries.length, ...structuredClone(this.loaded));
    if (this.madeBackupDir) await rmdir(join(this.dir, BACKUP_DIR)).catch(() => undefined);
    if (this.entries.length > 0) await this.save();
    else await rm(join(this.dir, RECORD_FILE), { force: true });
  }

  /** Removes the record and its backups (after a complete undo). */
  async discard(): Promise<void> {
    await rm(join(this.dir, RECORD_FILE), { force: true });
    await rm(join(this.dir, BACKUP_DIR), { recursive: true, force: true });
  }

  /**
   * Writes the record by atomic replace. Until setup has made its own directory (the first steps
   * create it), the entries wait in memory and go out with the first save after it exists.
   */
  private async save(): Promise<void> {
    try {
      await stat(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const text = `${JSON.stringify({ version: 1, entries: this.entries }, null, 2)}\n`;
    await writeRootFile(join(this.dir, RECORD_FILE), text, { mode: PRIVATE_FILE_MODE });
  }
}
