import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';
import { AppFailure } from '../../common/contract/result';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './atomic-write';
import { isProcessAlive } from './process-alive';

/**
 * A lock older than this is taken over even if its pid is alive: holders keep it for one
 * read-change-write (milliseconds), so an old lock means the pid was reused by another process.
 */
export const LOCK_STALE_MS = 30_000;
/** How long to wait for another process's lock before giving up with an error for the user. */
export const LOCK_WAIT_MS = 15_000;
/**
 * A break file older than this is removed even if its pid is alive: breaking a lock or releasing
 * one takes a look and an unlink (milliseconds), so its holder was killed or its pid reused.
 */
const BREAK_STALE_MS = 5_000;
/** A lock file that cannot be parsed yet may be one its creator is still writing. */
const LOCK_WRITE_GRACE_MS = 2_000;
/** Retry delays while another process holds the lock, randomised so waiters do not march in step. */
const LOCK_RETRY_MIN_MS = 5;
const LOCK_RETRY_MAX_MS = 40;

/** What a lock file says about its holder. */
interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

/** A lock file as one look at it found it. */
interface SeenLock {
  readonly raw: string;
  readonly ino: number;
  readonly mtimeMs: number;
  readonly ageMs: number;
  readonly owner: LockOwner | undefined;
}

/** Tails of the in-process queues, one per lock path, so one process never races itself. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `task` while holding `lockPath`, exclusively among every task of this process and of every
 * other process that locks the same path. Node has no flock, so the lock is a file created with
 * O_EXCL holding the owner's pid, host and a random token; it is taken over when its owner is
 * gone (same host, pid not alive) or it is older than {@link LOCK_STALE_MS}. Removing a lock —
 * taking over a stale one or releasing ours — happens only under the break lock (see
 * {@link withBreakLock}); the lock path itself is never renamed away.
 */
export function withFileLock<T>(lockPath: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(lockPath) ?? Promise.resolve();
  const run = previous.then(async () => {
    const release = await acquire(lockPath);
    try {
      return await task();
    } finally {
      await release();
    }
  });
  const tail = run.then(
    () => {},
    () => {},
  );
  queues.set(lockPath, tail);
  void tail.then(() => {
    if (queues.get(lockPath) === tail) queues.delete(lockPath);
  });
  return run;
}

async function acquire(lockPath: string): Promise<() => Promise<void>> {
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    token: randomBytes(12).toString('hex'),
  };
  const content = JSON.stringify(owner);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await writeFile(lockPath, content, { flag: 'wx', mode: PRIVATE_FILE_MODE });
      return () => release(lockPath, owner.token);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        await mkdir(dirname(lockPath), { recursive: true, mode: PRIVATE_DIR_MODE });
        continue;
      }
      if (code !== 'EEXIST') throw error;
    }
    const seen = await look(lockPath);
    if (seen === undefined) continue;
    if (isStale(seen, LOCK_STALE_MS)) {
      await takeOver(lockPath, seen);
      continue;
    }
    if (Date.now() > deadline) throw lockTimeout(lockPath, seen);
    await pause();
  }
}

async function look(lockPath: string): Promise<SeenLock | undefined> {
  try {
    const [raw, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    const { ino, mtimeMs } = info;
    return { raw, ino, mtimeMs, ageMs: Date.now() - mtimeMs, owner: parseOwner(raw) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    return typeof value.pid === 'number' &&
      typeof value.host === 'string' &&
      typeof value.token === 'string'
      ? { pid: value.pid, host: value.host, token: value.token }
      : undefined;
  } catch {
    return undefined;
  }
}

/** True when the holder of a lock file (or break file) seen once is gone or has held too long. */
function isStale(seen: SeenLock, staleMs: number): boolean {
  if (seen.ageMs > staleMs) return true;
  if (seen.owner === undefined) return seen.ageMs > LOCK_WRITE_GRACE_MS;
  return seen.owner.host === hostname() && !isProcessAlive(seen.owner.pid);
}

/** True when `now` is the very file `before` was: same inode, same time stamp, same content. */
function sameFile(before: SeenLock, now: SeenLock | undefined): now is SeenLock {
  return (
    now !== undefined &&
    now.ino === before.ino &&
    now.mtimeMs === before.mtimeMs &&
    now.raw === before.raw
  );
}

/**
 * Removes a lock judged stale, unless it was replaced meanwhile. Breakers take turns under the
 * break lock and look again there, so the lock removed is the one judged stale: nobody else may
 * remove it between that look and the unlink, and a new lock can only be created once it is gone.
 */
async function takeOver(lockPath: string, seen: SeenLock): Promise<void> {
  await withBreakLock(lockPath, async () => {
    const now = await look(lockPath);
    if (sameFile(seen, now) && isStale(now, LOCK_STALE_MS)) await rm(lockPath, { force: true });
  });
}

/**
 * Removes our lock, under the break lock so that a breaker who judged us stale (we held it past
 * {@link LOCK_STALE_MS}) cannot replace it between our check of the token and the unlink.
 */
async function release(lockPath: string, token: string): Promise<void> {
  await withBreakLock(lockPath, async () => {
    const now = await look(lockPath);
    if (now?.owner?.token === token) await rm(lockPath, { force: true });
  }).catch((error: unknown) => {
    // The task is done and its change written: a release that could not get its turn leaves our
    // lock to go stale (LOCK_STALE_MS) rather than calling a saved change a failure.
    if (!(error instanceof AppFailure && error.code === 'file-locked')) throw error;
  });
}

/**
 * Runs `task` while holding `<lockPath>.break`, the O_EXCL file that makes whoever removes the
 * lock (breakers and the releasing holder) take turns. A break file whose holder died, or older
 * than {@link BREAK_STALE_MS}, is removed the same way, if still unchanged at a second look; past
 * {@link LOCK_WAIT_MS} of waiting it gives up with `file-locked`, as the lock itself does. Left
 * open: two waiters who both judged one dead breaker's file stale at the same instant.
 */
async function withBreakLock(lockPath: string, task: () => Promise<void>): Promise<void> {
  const breakPath = `${lockPath}.break`;
  const token = randomBytes(12).toString('hex');
  const content = JSON.stringify({ pid: process.pid, host: hostname(), token });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await writeFile(breakPath, content, { flag: 'wx', mode: PRIVATE_FILE_MODE });
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return; // the folder is gone, and the lock with it
      if (code !== 'EEXIST') throw error;
    }
    const seen = await look(breakPath);
    if (seen === undefined) continue;
    if (isStale(seen, BREAK_STALE_MS)) {
      if (sameFile(seen, await look(breakPath))) await rm(breakPath, { force: true });
      continue;
    }
    // Each holder keeps it for a look and an unlink, and a stale one goes: never wait forever.
    if (Date.now() > deadline) throw lockTimeout(lockPath, seen, breakPath);
    await pause();
  }
  try {
    await task();
  } finally {
    // Ours unless we were judged a dead breaker meanwhile; then it belongs to the next one.
    if ((await look(breakPath))?.owner?.token === token) await rm(breakPath, { force: true });
  }
}

/** Waits a short random time, so that waiters do not march in step. */
function pause(): Promise<void> {
  const delay = LOCK_RETRY_MIN_MS + Math.random() * (LOCK_RETRY_MAX_MS - LOCK_RETRY_MIN_MS);
  return new Promise((resolveDelay) => setTimeout(resolveDelay, delay));
}

/** Neutral wording: settings and secrets share this lock, so the message names the file. */
function lockTimeout(lockPath: string, seen: SeenLock, held = lockPath): AppFailure {
  const who = seen.owner ? `process ${seen.owner.pid} on ${seen.owner.host}` : 'another process';
  const file = basename(lockPath).replace(/\.lock$/, '');
  return new AppFailure({
    code: 'file-locked',
    message: `LabDeck could not change ${file}: ${who} has been holding ${held} for ${Math.round(seen.ageMs / 1000)} s.`,
    hint: `Try again. If no other LabDeck (app, browser mode or CLI) is running, delete ${held}.`,
  });
}
