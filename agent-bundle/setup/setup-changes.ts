import { chmod, chown, lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppFailure } from '../../common/contract/result';
import type { SetupChange } from '../../common/host-setup/setup-report';
import type { RecordEntry, SetupRecord } from './setup-record';

const ROOT_UID = 0;
const ROOT_GID = 0;
/** Directories setup creates on the way to the ones it needs (`/opt/labdeck`…). */
const PARENT_DIR_MODE = 0o755;
const PERMISSION_BITS = 0o7777;

/** Something else where setup puts a file or directory: never removed, reported. */
function inTheWay(path: string, needed: string): AppFailure {
  return new AppFailure({
    code: 'setup-path-in-the-way',
    message: `${path} is in the way: LabDeck needs ${needed} there, and it is not one.`,
    hint: `Look at what it is (ls -la ${path}) and move it away, then run setup again.`,
  });
}

/** A file's bytes, mode and owner, or undefined when there is none. */
async function readExisting(path: string) {
  try {
    const info = await lstat(path);
    if (!info.isFile())
      throw new Error(
        `${path} is in the way: LabDeck would write a file there, and it is not one.`,
      );
    return {
      bytes: await readFile(path),
      mode: info.mode & PERMISSION_BITS,
      uid: info.uid,
      gid: info.gid,
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Makes (or, in a dry run, only plans) setup's changes to files and directories under the root:
 * each one compared with what is there first, so a second run changes nothing and says so; each
 * one recorded with how it was before, so `--undo` and a failed run can put it back.
 */
export class SetupChanges {
  /** What this run did or would do, in order, as the report lists it. */
  readonly changes: SetupChange[] = [];
  /** What this run added to the record: taken back, newest first, when a later step fails. */
  readonly added: RecordEntry[] = [];

  constructor(
    readonly apply: boolean,
    private readonly record: SetupRecord,
    /** The system root: directories above it are never created or recorded. */
    private readonly root: string,
  ) {}

  /** Notes a change made (or planned) by a step of its own (the group, the sudo rule). */
  note(title: string, made: boolean, extra: Omit<SetupChange, 'status' | 'title'> = {}): void {
    this.changes.push({
      status: made ? (this.apply ? 'done' : 'planned') : 'unchanged',
      title,
      ...extra,
    });
  }

  /** Records an entry for undo (in a real run only). */
  async remember(entry: RecordEntry): Promise<void> {
    if (!this.apply) return;
    await this.record.add(entry);
    this.added.push(entry);
  }

  /**
   * Makes `path` a root-owned directory with `mode`, creating missing parents (0755) below the
   * root. An existing directory keeps its owner and mode, unless `fixMode` (the shared lock
   * directory, which every user must be able to write).
   */
  async ensureDir(path: string, mode: number, title: string, fixMode = false): Promise<void> {
    const missing: string[] = [];
    for (let at = path; at !== this.root && at !== dirname(at); at = dirname(at)) {
      const info = await lstatOrUndefined(at);
      if (info === undefined) missing.unshift(at);
      else if (!info.isDirectory()) throw inTheWay(at, 'a directory');
      else break;
    }
    if (missing.length === 0) {
      const info = await lstat(path);
      const current = info.mode & PERMISSION_BITS;
      if (current === mode || !fixMode) return this.note(`${path} exists`, false, { path });
      this.note(`${title}: mode ${current.toString(8)} → ${mode.toString(8)}`, true, { path });
      if (!this.apply) return;
      if (!this.record.knows(path))
        await this.remember({
          kind: 'dir',
          path,
          before: { mode: current, uid: info.uid, gid: info.gid },
        });
      await chmod(path, mode);
      return;
    }
    this.note(title, true, { path });
    if (!this.apply) return;
    for (const dir of missing) {
      const dirMode = dir === path ? mode : PARENT_DIR_MODE;
      await mkdir(dir, { mode: dirMode });
      await this.remember({ kind: 'dir', path: dir, before: 'absent' });
      await chown(dir, ROOT_UID, ROOT_GID);
      await chmod(dir, dirMode); // mkdir's mode is cut by the umask
    }
  }

  /**
   * Writes `bytes` to `path` (root-owned, `mode`) by atomic replace, unless the file already has
   * exactly those bytes, that mode and root as owner. A replaced file is kept for undo first.
   * `check` runs on the temporary file before it is moved into place (visudo -cf).
   */
  async writeFile(
    path: string,
    bytes: Buffer,
    mode: number,
    title: string,
    check?: (tempPath: string) => Promise<void>,
    detail?: string,
  ): Promise<void> {
    const existing = await readExisting(path);
    const same =
      existing !== undefined &&
      existing.bytes.equals(bytes) &&
      existing.mode === mode &&
      existing.uid === ROOT_UID &&
      existing.gid === ROOT_GID;
    const replacing = existing !== undefined && !same;
    this.note(replacing ? `${title} (replacing the file there)` : title, !same, {
      path,
      ...(detail ? { detail } : {}),
    });
    if (same || !this.apply) return;
    // A leading dot: sudo ignores such names in sudoers.d, so a left-behind temp is never read.
    const temp = join(dirname(path), `.${basename(path)}.labdeck-${process.pid}.tmp`);
    try {
      await writeFile(temp, bytes, { mode: 0o600 });
      await chown(temp, ROOT_UID, ROOT_GID);
      await chmod(temp, mode);
      await check?.(temp);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    if (!this.record.knows(path)) {
      const before =
        existing === undefined
          ? ('absent' as const)
          : {
              mode: existing.mode,
              uid: existing.uid,
              gid: existing.gid,
              backup: await this.record.backup(existing.bytes),
            };
      await this.remember({ kind: 'file', path, before });
    }
    await rename(temp, path);
  }
}
