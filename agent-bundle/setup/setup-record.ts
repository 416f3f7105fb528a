import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { recordFileSchema, type RecordEntry } from '../../common/host-setup/setup-record-schema';

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

/** The record as kept on disk; entries are appended as changes are made. */
export class SetupRecord {
  private constructor(
    private readonly dir: string,
    readonly entries: RecordEntry[],
  ) {}

  /** Reads the record in `dir` (empty when there is none). Throws for a damaged one. */
  static async load(dir: string): Promise<SetupRecord> {
    let text: string;
    try {
      text = await readFile(join(dir, RECORD_FILE), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new SetupRecord(dir, []);
      throw error;
    }
    const parsed = recordFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new Error(
        `The setup record ${join(dir, RECORD_FILE)} is damaged; undo cannot trust it.`,
      );
    return new SetupRecord(dir, parsed.data.entries);
  }

  /** True when the record already says how `path` was before setup. */
  knows(path: string): boolean {
    return this.entries.some((entry) => entry.kind !== 'group' && entry.path === path);
  }

  /** True when setup created the group `name`. */
  createdGroup(name: string): boolean {
    return this.entries.some((entry) => entry.kind === 'group' && entry.name === name);
  }

  /** Keeps a copy of a file about to be replaced; returns the name it is kept under. */
  async backup(bytes: Buffer): Promise<string> {
    const name = `${Date.now()}-${randomBytes(4).toString('hex')}`;
    await mkdir(join(this.dir, BACKUP_DIR), { recursive: true, mode: PRIVATE_DIR_MODE });
    await writeFile(join(this.dir, BACKUP_DIR, name), bytes, { mode: PRIVATE_FILE_MODE });
    return name;
  }

  /** The bytes kept under `name` by {@link backup}. */
  restore(name: string): Promise<Buffer> {
    return readFile(join(this.dir, BACKUP_DIR, name));
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

  /** Removes the record and its backups (after a complete undo). */
  async discard(): Promise<void> {
    await rm(join(this.dir, RECORD_FILE), { force: true });
    await rm(join(this.dir, BACKUP_DIR), { recursive: true, force: true });
  }

  /**
   * Writes the record by atomic replace. Until setup has made its own directory (the first steps
   * create it), the entries wait in memory and go out with the first save that can.
   */
  private async save(): Promise<void> {
    const file = join(this.dir, RECORD_FILE);
    const temp = `${file}.${process.pid}.tmp`;
    const text = `${JSON.stringify({ version: 1, entries: this.entries }, null, 2)}\n`;
    try {
      await writeFile(temp, text, { mode: PRIVATE_FILE_MODE });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    await chmod(temp, PRIVATE_FILE_MODE);
    await rename(temp, file);
  }
}
