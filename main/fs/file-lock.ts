import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
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
  readonly ageMs: number;
  readonly owner: LockOwner | undefined;
}

/** Tails of the in-process queues, one per lock path, so one process never races itself. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `task` while holding `lockPath`, exclusively among every task of this process and of every
 * other process that locks the same path. Node has no flock, so the lock is a file created with
 * O_EXCL holding the owner's pid, host and a random token; it is taken over when its owner is
 * gone (same host, pid not alive) or it is older than {@link LOCK_STALE_MS}.
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
    if (isStale(seen)) {
      await takeOver(lockPath, seen);
      continue;
    }
    if (Date.now() > deadline) throw lockTimeout(lockPath, seen);
    const delay = LOCK_RETRY_MIN_MS + Math.random() * (LOCK_RETRY_MAX_MS - LOCK_RETRY_MIN_MS);
    await new Promise((resolveDelay) => setTimeout(resolveDelay, delay));
  }
}

async function look(lockPath: string): Promise<SeenLock | undefined> {
  try {
    const [raw, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    return { raw, ino: info.ino, ageMs: Date.now() - info.mtimeMs, owner: parseOwner(raw) };
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

function isStale(seen: SeenLock): boolean {
  if (seen.ageMs > LOCK_STALE_MS) return true;
  if (seen.owner === undefined) return seen.ageMs > LOCK_WRITE_GRACE_MS;
  return seen.owner.host === hostname() && !isProcessAlive(seen.owner.pid);
}

/**
 * Removes a stale lock without removing a fresh one that replaced it meanwhile: rename it to a
 * private name first (atomic), then check that what was renamed is the lock judged stale; if it
 * is not, put it back with link(), which cannot overwrite a lock created in between.
 */
async function takeOver(lockPath: string, seen: SeenLock): Promise<void> {
  const aside = `${lockPath}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const [raw, info] = await Promise.all([readFile(aside, 'utf8'), stat(aside)]);
    if (raw !== seen.raw || info.ino !== seen.ino) await link(aside, lockPath).catch(() => {});
  } finally {
    await rm(aside, { force: true });
  }
}

async function release(lockPath: string, token: string): Promise<void> {
  const raw = await readFile(lockPath, 'utf8').catch(() => '');
  // Only our own lock: if we were judged stale and taken over, the file is someone else's now.
  if (parseOwner(raw)?.token === token) await rm(lockPath, { force: true });
}

function lockTimeout(lockPath: string, seen: SeenLock): AppFailure {
  const who = seen.owner ? `process ${seen.owner.pid} on ${seen.owner.host}` : 'another process';
  return new AppFailure({
    code: 'settings-locked',
    message: `LabDeck could not save: ${who} has been holding ${lockPath} for ${Math.round(seen.ageMs / 1000)} s.`,
    hint: `Try again. If no other LabDeck (app, browser mode or CLI) is running, delete ${lockPath}.`,
  });
}
