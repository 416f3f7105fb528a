import { constants } from 'node:fs';
import { lstat, open, readFile, unlink, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';

/** The lock file's name inside the lease directory. */
export const LEASE_FILE_NAME = 'allocation.lock';
/** Readable by all, so another user's agent can say who holds the lease. */
const LEASE_FILE_MODE = 0o644;
/**
 * A break marker older than this belongs to a breaker that died or hung: breaking takes one look
 * and one unlink (milliseconds).
 */
export const BREAK_STALE_MS = 5_000;
const CREATE_FLAGS =
  constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW;
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
/** A real lock file is about 150 bytes; more than this is not one of ours. */
const MAX_LEASE_FILE_BYTES = 4_096;

/** What a lock file says about its holder. */
export interface LeaseOwner {
  readonly pid: number;
  readonly host: string;
  readonly leaseId: string;
  readonly user: string;
  /** When the holder took it (ms since the epoch), to say for how long it has held it. */
  readonly acquiredAt: number;
}

/** A lock file as one look found it; `owner` is undefined while it cannot be parsed. */
export interface SeenLease {
  readonly ino: number;
  readonly mtimeMs: number;
  readonly owner: LeaseOwner | undefined;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/**
 * Creates the lock file with O_EXCL|O_NOFOLLOW (fails on anything already there, a planted
 * symlink included) and writes `owner` into it. Returns the open handle, which the holder keeps to
 * renew the very inode it created, or undefined when a lock exists.
 */
export async function createLeaseFile(
  path: string,
  owner: LeaseOwner,
): Promise<FileHandle | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, CREATE_FLAGS, LEASE_FILE_MODE);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return undefined;
    throw error;
  }
  try {
    await handle.chmod(LEASE_FILE_MODE); // the umask may have cut the mode
    await handle.writeFile(JSON.stringify(owner));
    return handle;
  } catch (error) {
    await handle.close();
    await unlink(path).catch(() => undefined); // still ours: fresh, and only stale locks are broken
    throw error;
  }
}

/**
 * One look at the lock file, or undefined when there is none. Anyone may plant an entry in the
 * shared directory, so a symlink, a FIFO (O_NONBLOCK: opening it never hangs), a file we may not
 * read or a huge one is seen but not trusted: no owner, so it is broken once its mtime is stale.
 */
export async function lookLease(path: string): Promise<SeenLease | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, READ_FLAGS);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return undefined;
    if (code !== 'ELOOP' && code !== 'EACCES') throw error;
    const info = await lstat(path).catch(() => undefined);
    return info && { ino: info.ino, mtimeMs: info.mtimeMs, owner: undefined };
  }
  try {
    const info = await handle.stat();
    const head = Buffer.alloc(MAX_LEASE_FILE_BYTES);
    const { bytesRead } = info.isFile()
      ? await handle.read(head, 0, head.length, 0)
      : { bytesRead: 0 };
    const owner = parseOwner(head.subarray(0, bytesRead).toString('utf8'));
    return { ino: info.ino, mtimeMs: info.mtimeMs, owner };
  } finally {
    await handle.close();
  }
}

/** The owner a lock file names, or undefined while it is empty (being written) or foreign. */
function parseOwner(raw: string): LeaseOwner | undefined {
  let value: Partial<Record<keyof LeaseOwner, unknown>>;
  try {
    value = JSON.parse(raw) as typeof value;
  } catch {
    return undefined;
  }
  const { pid, host, leaseId, user, acquiredAt } = value ?? {};
  const valid =
    Number.isSafeInteger(pid) &&
    (pid as number) > 0 &&
    typeof host === 'string' &&
    typeof leaseId === 'string' &&
    leaseId !== '' &&
    typeof user === 'string' &&
    typeof acquiredAt === 'number';
  return valid ? ({ pid, host, leaseId, user, acquiredAt } as LeaseOwner) : undefined;
}

/**
 * True while `pid` runs on this host. EPERM from kill(pid, 0) means it runs as another user; a
 * zombie (killed, not yet reaped by its parent, which for a daemon may take a while) is dead,
 * whoever owns it. /proc/<pid>/stat is readable by every user.
 */
async function isHolderAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (errorCode(error) !== 'EPERM') return false;
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/**
 * True when the holder is gone: its pid is dead on this host (EPERM counts as alive: another
 * user's), or it has not renewed the file for `staleMs` (a dead holder on another host sharing
 * the directory, a reused pid, a hung agent, or a creator that died before writing).
 */
export async function isStale(seen: SeenLease, staleMs: number): Promise<boolean> {
  if (Date.now() - seen.mtimeMs > staleMs) return true;
  return (
    seen.owner !== undefined &&
    seen.owner.host === hostname() &&
    !(await isHolderAlive(seen.owner.pid))
  );
}

function sameLease(a: SeenLease, b: SeenLease | undefined): b is SeenLease {
  return b !== undefined && a.ino === b.ino && a.owner?.leaseId === b.owner?.leaseId;
}

/** The break marker of one lock instance: unique per hold, so a leftover never blocks another. */
function markerPath(path: string, seen: SeenLease): string {
  return `${path}.${seen.owner?.leaseId ?? `ino-${seen.ino}-${Math.round(seen.mtimeMs)}`}.break`;
}

/**
 * Runs `task` holding the break marker of lock instance `seen`; false when another holds it.
 *
 * Why this is race-free: checking a file and then unlinking it are two steps, and in between a
 * second breaker could remove it and a new holder create a fresh lock, which the first would then
 * delete. So whoever removes a lock instance (a breaker, or its holder releasing it) first creates
 * that instance's marker with O_EXCL: only one party at a time may remove it, and while one holds
 * the marker the lock path keeps that instance (nobody else may remove it, and O_EXCL creates no
 * new one over it), so a look taken under the marker stays true until the unlink. Left open: a
 * marker holder frozen past {@link BREAK_STALE_MS} whose marker two others remove at once.
 */
async function withMarker(
  path: string,
  seen: SeenLease,
  task: () => Promise<void>,
): Promise<boolean> {
  const marker = markerPath(path, seen);
  let handle: FileHandle;
  try {
    handle = await open(marker, CREATE_FLAGS, LEASE_FILE_MODE);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    const info = await lstat(marker).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > BREAK_STALE_MS)
      await unlink(marker).catch(() => undefined);
    return false;
  }
  try {
    await task();
    return true;
  } finally {
    await handle.close();
    await unlink(marker).catch(() => undefined);
  }
}

/** Removes lock instance `seen`, judged stale, if it is still there and still stale. */
export async function breakStaleLease(
  path: string,
  seen: SeenLease,
  staleMs: number,
): Promise<void> {
  await withMarker(path, seen, async () => {
    const now = await lookLease(path);
    if (sameLease(seen, now) && (await isStale(now, staleMs)))
      await unlink(path).catch(() => undefined);
  });
}

/**
 * Removes our lock instance if the path still holds it; never another holder's. False while a
 * breaker holds its marker (we were judged stale): try again shortly.
 */
export async function removeOwnLease(path: string, mine: SeenLease): Promise<boolean> {
  return withMarker(path, mine, async () => {
    if (sameLease(mine, await lookLease(path))) await unlink(path).catch(() => undefined);
  });
}
