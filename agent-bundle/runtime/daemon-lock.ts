import { readFileSync } from 'node:fs';
import { link, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A lock younger than this whose daemon is alive but not yet listening belongs to a daemon that
 * is still starting; an older one whose socket does not answer was left by a dead daemon whose
 * pid has been reused.
 */
export const DAEMON_START_GRACE_MS = 15_000;

/** The outcome of {@link acquireDaemonLock}. */
export type LockOutcome =
  | { readonly acquired: true; release(): Promise<void> }
  | { readonly acquired: false; readonly holderPid: number };

/**
 * True when Linux says `pid` has exited but is not yet reaped. A daemon's parent (`connect`) is
 * gone, so its zombie waits for init, which in containers may take seconds; it is dead all the same.
 */
function isZombieSync(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

/** True when a process with this pid runs (EPERM: it runs but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but is another user's; a killed one may still be an unreaped zombie.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombieSync(pid);
}

/** The pid written in a lock file, or undefined when it is missing or unreadable. */
export async function readLockPid(lockPath: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(lockPath, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function lockAgeMs(lockPath: string): Promise<number> {
  try {
    return Date.now() - (await stat(lockPath)).mtimeMs;
  } catch {
    return 0;
  }
}

/** How long a new daemon waits for a starting or stopping one to settle before giving up. */
export const LOCK_WAIT_MS = 5_000;
const LOCK_POLL_MS = 50;

/**
 * Takes the pid lock that keeps a second daemon off the same socket. The pid is written to a
 * private temporary file first and hard-linked into place, so the lock appears atomically with its
 * content (a reader never sees an empty lock). A lock whose process is gone, or that is older than
 * {@link DAEMON_START_GRACE_MS} while `socketAnswers` says nobody serves, is stale and replaced.
 * While its holder is alive but not serving (starting, or shutting down) this waits, up to
 * {@link LOCK_WAIT_MS}; once the holder serves, this gives up: that daemon will serve everyone.
 */
export async function acquireDaemonLock(
  lockPath: string,
  socketAnswers: () => Promise<boolean>,
): Promise<LockOutcome> {
  const candidate = `${lockPath}.${process.pid}`;
  await writeFile(candidate, `${process.pid}\n`, { mode: 0o600 });
  const deadline = Date.now() + LOCK_WAIT_MS;
  let holder: number | undefined;
  try {
    while (Date.now() <= deadline) {
      try {
        await link(candidate, lockPath);
        return { acquired: true, release: () => releaseLock(lockPath) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = await readLockPid(lockPath);
      holder = current;
      const stale =
        current === undefined ||
        current === process.pid ||
        !isProcessAlive(current) ||
        ((await lockAgeMs(lockPath)) > DAEMON_START_GRACE_MS && !(await socketAnswers()));
      if (stale) {
        if ((await readLockPid(lockPath)) === current)
          await unlink(lockPath).catch(() => undefined);
      } else if (await socketAnswers()) {
        return { acquired: false, holderPid: current };
      } else {
        await sleep(LOCK_POLL_MS);
      }
    }
    return { acquired: false, holderPid: holder ?? 0 };
  } finally {
    await unlink(candidate).catch(() => undefined);
  }
}

/** Removes the lock only if it is still ours: a daemon that lost it must not free another's. */
async function releaseLock(lockPath: string): Promise<void> {
  if ((await readLockPid(lockPath)) === process.pid) await unlink(lockPath).catch(() => undefined);
}
