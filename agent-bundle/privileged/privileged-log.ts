import { constants } from 'node:fs';
import { lstat, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GROUP_OR_OTHER_WRITABLE } from './trusted-path';

/** `/var/log/labdeck`: root reads it, the admin group may (0750). */
const LOG_DIR_MODE = 0o750;
/** `/var/log` and above, when the helper has to create them: the system's usual mode. */
const PARENT_DIR_MODE = 0o755;
/** `privileged.log`: root writes, its group reads; other users never see each other's calls. */
const LOG_FILE_MODE = 0o640;
/**
 * How the log file is opened: appended to, created when missing, and never through a link (a link
 * planted there would have root append to, or create, a file of the planter's choosing).
 */
const LOG_OPEN_FLAGS =
  constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;
/** A string argument longer than this is logged as its length (a dotfile, a state value). */
const MAX_LOGGED_STRING_CHARS = 200;
/** Arguments that are contents, never logged as they are: only their size. */
const CONTENT_FIELDS = new Set(['content', 'value']);
/** Nesting kept in a logged argument; deeper values are summarised. */
const MAX_LOGGED_DEPTH = 4;

/** How a call ended: done, refused before acting, or failed while acting. */
export type CallOutcome = 'ok' | 'refused' | 'failed';

/** One line of `privileged.log`. */
export interface PrivilegedLogEntry {
  readonly time: string;
  readonly callerUid: number;
  readonly operation: string;
  readonly arguments: unknown;
  readonly result: CallOutcome;
  readonly code?: string;
  readonly message?: string;
}

function sizeOf(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `(${text === undefined ? 0 : Buffer.byteLength(text)} bytes)`;
}

/**
 * `value` as the log shows it: contents (`content`, `value`) and long strings replaced by their
 * size, deep structures cut, so the log holds who did what but no file's text.
 */
export function loggedArguments(value: unknown, depth = 0): unknown {
  if (typeof value === 'string')
    return value.length > MAX_LOGGED_STRING_CHARS ? sizeOf(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_LOGGED_DEPTH) return sizeOf(value);
  if (Array.isArray(value))
    return value.slice(0, 32).map((item) => loggedArguments(item, depth + 1));
  const logged: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value).slice(0, 32)) {
    logged[key.slice(0, MAX_LOGGED_STRING_CHARS)] =
      CONTENT_FIELDS.has(key) && item !== null ? sizeOf(item) : loggedArguments(item, depth + 1);
  }
  return logged;
}

/** Appends one JSON line per call to `privileged.log`. */
export class PrivilegedLog {
  private constructor(private readonly file: string) {}

  /**
   * Opens (creating when missing) the log: its directory 0750 and the file 0640, both root's.
   * Throws when it cannot be written, when its directory is not a directory of the helper's user
   * that only it may write to, or when the file is a link — the helper does not serve calls it
   * cannot record where only root can change the record.
   */
  static async open(file: string): Promise<PrivilegedLog> {
    const dir = dirname(file);
    await mkdir(dirname(dir), { recursive: true, mode: PARENT_DIR_MODE });
    await mkdir(dir, { mode: LOG_DIR_MODE }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    const info = await lstat(dir);
    const uid = process.geteuid?.() ?? info.uid;
    if (!info.isDirectory() || info.uid !== uid || (info.mode & GROUP_OR_OTHER_WRITABLE) !== 0) {
      const what = info.isDirectory()
        ? `a directory of uid ${info.uid}, mode ${(info.mode & 0o7777).toString(8)}`
        : 'not a directory';
      throw new Error(
        `${dir} is ${what}: the helper's log must be in a directory only uid ${uid} may write to.`,
      );
    }
    const handle = await open(file, LOG_OPEN_FLAGS, LOG_FILE_MODE);
    try {
      await handle.chmod(LOG_FILE_MODE);
    } finally {
      await handle.close();
    }
    return new PrivilegedLog(file);
  }

  /** Records one call; a failure to write is reported on stderr, the answer still goes out. */
  async record(entry: Omit<PrivilegedLogEntry, 'time'>): Promise<void> {
    const line = JSON.stringify({ time: new Date().toISOString(), ...entry });
    try {
      const handle = await open(this.file, LOG_OPEN_FLAGS, LOG_FILE_MODE);
      try {
        await handle.write(`${line}\n`);
      } finally {
        await handle.close();
      }
    } catch (error) {
      process.stderr.write(`labdeck-agent: cannot write ${this.file}: ${String(error)}\n${line}\n`);
    }
  }
}
