import { createHash } from 'node:crypto';
import { chmod, chown, lstat, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppFailure } from '../../common/contract/result';
import type { SetupChange } from '../../common/host-setup/setup-report';
import { writeRootFile } from './root-file';
import type { RecordEntry, SetupRecord } from './setup-record';

const ROOT_UID = 0;
const ROOT_GID = 0;
/** Directories setup creates on the way to the ones it needs (`/opt/labdeck`…). */
const PARENT_DIR_MODE = 0o755;
const PERMISSION_BITS = 0o7777;
const GROUP_OR_OTHER_WRITABLE = 0o022;
const OTHER_WRITABLE = 0o002;
/**
 * Groups below this gid are the system's own (Debian and Ubuntu start users' groups at 1000). A
 * parent such a group may write to is trusted: Ubuntu's /var/log is root:syslog 0775.
 */
const SYSTEM_GID_LIMIT = 1000;

/** Something else where setup puts a file or directory: never removed, reported. */
function inTheWay(path: string, needed: string): AppFailure {
  return new AppFailure({
    code: 'setup-path-in-the-way',
    message: `${path} is in the way: LabDeck needs ${needed} there, and it is not one.`,
    hint: `Look at what it is (ls -la ${path}) and move it away, then run setup again.`,
  });
}

/**
 * True when someone other than root may change what is in a directory: others may write to it,
 * or its group may and the directory is setup's own or a parent whose group is no system group.
 */
function untrustedWriters(info: { mode: number; gid: number }, own: boolean): boolean {
  if ((info.mode & OTHER_WRITABLE) !== 0) return true;
  if ((info.mode & GROUP_OR_OTHER_WRITABLE) === 0) return false;
  return own || info.gid >= SYSTEM_GID_LIMIT;
}

/**
 * A directory setup would write root's files into that someone else could change: its owner
 * could swap the helper or the rule's target after setup, and so run code as root.
 */
function untrustedDir(path: string, why: string): AppFailure {
  return new AppFailure({
    code: 'setup-directory-untrusted',
    message: `${path} ${why}, so someone other than root could change what setup installs there; setup changes nothing.`,
    hint: `Make it root's and writable only by root (sudo chown root:root ${path} && sudo chmod go-w ${path}), or move it away, then run setup again.`,
  });
}

/** sha256 in hex, as the record keeps what setup wrote. */
export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A file's bytes, mode and owner, or undefined when there is none. */
async function readExisting(path: string) {
  const info = await lstatOrUndefined(path);
  if (info === undefined) return undefined;
  if (!info.isFile()) throw inTheWay(path, 'a file');
  return {
    bytes: await readFile(path),
    mode: info.mode & PERMISSION_BITS,
    uid: info.uid,
    gid: info.gid,
  };
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
 * one recorded with how it was before the first setup (for `--undo`), and with how it was before
 * this run (to take this run back when a later step fails).
 */
export class SetupChanges {
  /** What this run did or would do, in order, as the report lists it. */
  readonly changes: SetupChange[] = [];
  /** How every path this run changed was before it, newest last: what a failed run puts back. */
  readonly journal: RecordEntry[] = [];
  /** The entries this run added to the record: dropped from it again when the run fails. */
  readonly added: RecordEntry[] = [];

  constructor(
    readonly apply: boolean,
    private readonly record: SetupRecord,
    /** The system root: directories above it are never created or recorded. */
    private readonly root: string,
  ) {}

  /** True when the record says setup created the group `name`. */
  createdGroup(name: string): boolean {
    return this.record.entries.some((entry) => entry.kind === 'group' && entry.name === name);
  }

  /** Notes a change made (or planned) by a step of its own (the group, the sudo rule). */
  note(title: string, made: boolean, extra: Omit<SetupChange, 'status' | 'title'> = {}): void {
    this.changes.push({
      status: made ? (this.apply ? 'done' : 'planned') : 'unchanged',
      title,
      ...extra,
    });
  }

  /**
   * Records how something was before this run changes it — in the undo record unless an earlier
   * run already did, and always in this run's journal. Called before the change, so a crash in
   * between leaves an entry undo skips ("already gone"), never a change undo does not know.
   */
  async remember(entry: RecordEntry): Promise<void> {
    if (!this.apply) return;
    this.journal.push(entry);
    const path = entry.kind === 'group' ? undefined : entry.path;
    if (path !== undefined && this.record.knows(path)) return;
    await this.record.add(entry);
    this.added.push(entry);
  }

  /**
   * Makes `path` a root-owned directory with `mode`, creating missing parents (0755) below the
   * root. An existing directory keeps its mode, unless `fixMode` (the shared lock directory,
   * which every user must be able to write); one that is not root's, or that group or others may
   * write to, is refused, as root's files go into it.
   */
  async ensureDir(path: string, mode: number, title: string, fixMode = false): Promise<void> {
    const missing: string[] = [];
    for (let at = path; at !== this.root && at !== dirname(at); at = dirname(at)) {
      const info = await lstatOrUndefined(at);
      if (info === undefined) {
        missing.unshift(at);
        continue;
      }
      if (!info.isDirectory()) throw inTheWay(at, 'a directory');
      if (info.uid !== ROOT_UID) throw untrustedDir(at, `belongs to uid ${info.uid}`);
      if (untrustedWriters(info, at === path) && !(at === path && fixMode))
        throw untrustedDir(
          at,
          `is writable by group or others (mode ${(info.mode & PERMISSION_BITS).toString(8)})`,
        );
      break;
    }
    if (missing.length === 0) {
      const info = await lstat(path);
      const current = info.mode & PERMISSION_BITS;
      if (current === mode || !fixMode) return this.note(`${path} exists`, false, { path });
      this.note(`${title}: mode ${current.toString(8)} → ${mode.toString(8)}`, true, { path });
      if (!this.apply) return;
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
      await this.remember({ kind: 'dir', path: dir, before: 'absent' });
      await mkdir(dir, { mode: 0o700 });
      await chown(dir, ROOT_UID, ROOT_GID);
      await chmod(dir, dirMode); // only once root's: never a moment writable by others
    }
  }

  /**
   * Writes `bytes` to `path` (root-owned, `mode`) by atomic replace (see writeRootFile), unless
   * the file already has exactly those bytes, that mode and root as owner. A replaced file is
   * kept first, for undo and for this run's roll-back. `check` runs on the temporary file before
   * it is moved into place (visudo -cf).
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
    const before =
      existing === undefined
        ? ('absent' as const)
        : {
            mode: existing.mode,
            uid: existing.uid,
            gid: existing.gid,
            backup: await this.record.backup(existing.bytes),
          };
    await this.remember({ kind: 'file', path, before, wrote: sha256(bytes) });
    await writeRootFile(path, bytes, { mode, check });
    await this.record.wrote(path, sha256(bytes));
  }
}
