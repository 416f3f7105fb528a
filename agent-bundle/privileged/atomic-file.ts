import { randomBytes } from 'node:crypto';
import { chmod, open, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { refuse } from './privileged-refusal';

/** Mode of every file the helper writes for others to read: root's, world-readable. */
export const PUBLIC_FILE_MODE = 0o644;
/** How long a caller waits for another call holding the same lock. */
const LOCK_WAIT_MS = 10_000;
const LOCK_POLL_MS = 25;
/** A lock file older than this was left by a killed helper (a holder needs well under a second). */
const LOCK_STALE_MS = 60_000;

/**
 * Replaces `path` with `text` atomically: written and synced to a temporary file beside it, its
 * mode set (the umask does not decide it), then renamed over — a reader sees the old file or the
 * new one, never half of one.
 */
export async function writeFileAtomic(
  path: string,
  text: string,
  mode = PUBLIC_FILE_MODE,
): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temporary, mode);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** `path`'s text, or undefined when there is no such file. */
export async function readIfExists(
  path: string,
  read: (path: string) => Promise<string>,
): Promise<string | undefined> {
  try {
    return await read(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Runs `fn` holding the lock file `lockPath` (created with O_EXCL, so two helpers never both
 * hold it), waiting up to `waitMs` for another holder; a lock older than {@link LOCK_STALE_MS}
 * is broken.
 */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  waitMs = LOCK_WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await writeFile(lockPath, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = await stat(lockPath).catch(() => undefined);
      if (held !== undefined && Date.now() - held.mtimeMs > LOCK_STALE_MS) {
        await unlink(lockPath).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline)
        throw refuse(
          'privileged-busy',
          `Another LabDeck call holds ${lockPath}; it did not finish within ${waitMs / 1000} s.`,
          'Try again in a moment.',
        );
      await sleep(LOCK_POLL_MS);
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}
