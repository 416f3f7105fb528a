import { randomBytes } from 'node:crypto';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { refuse } from './privileged-refusal';

/** How long a caller waits for another call holding the same lock. */
const LOCK_WAIT_MS = 10_000;
const LOCK_POLL_MS = 25;

/**
 * Lock files of the helper: `PID STARTTIME TOKEN`. A lock is stale only when the process that
 * wrote it is gone (kill(PID, 0) says ESRCH, or that pid now belongs to a process that started at
 * another time) — never by age: an accept's setfacl over a big tree, or a purge's rm -rf, may
 * hold one for minutes, and breaking a live lock loses updates of folders.json and /etc/projid.
 */

/** When process `pid` started (/proc/PID/stat field 22, clock ticks since boot), if it runs. */
export async function startTimeOf(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // The command name (field 2) is in parentheses and may hold spaces: count after its end.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

/** Whether the holder written in `text` is still running (garbled text counts as running). */
async function holderAlive(text: string): Promise<boolean> {
  const [pidText, started] = text.trim().split(' ');
  return processAlive(pidText ?? '', started);
}

/**
 * Whether process `pidText` (decimal) that started at `started` (see {@link startTimeOf}) still
 * runs: not when kill(PID, 0) says ESRCH or the pid now belongs to a process started at another
 * time. Anything it cannot tell (a garbled pid) counts as running, so nothing live is broken.
 */
export async function processAlive(pidText: string, started: string | undefined): Promise<boolean> {
  const pid = Number(pidText);
  if (!/^\d+$/.test(pidText) || !Number.isSafeInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const now = await startTimeOf(pid);
  return now === undefined || started === undefined || now === started;
}

/**
 * Takes the lock file with its content in one step: written to a file of our own, then linked
 * to `lockPath` (link fails with EEXIST when it exists), so nobody ever sees an empty lock.
 */
async function tryTake(lockPath: string, content: string): Promise<boolean> {
  const mine = `${lockPath}.${randomBytes(6).toString('hex')}.new`;
  await writeFile(mine, content, { flag: 'wx', mode: 0o600 });
  try {
    await link(mine, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    await unlink(mine).catch(() => undefined);
  }
}

/**
 * Breaks the lock at `lockPath` if its holder is gone: renamed to a name of our own first, so of
 * two waiters only one moves it; if what was moved turns out to be a live holder's (it was broken
 * and taken again in between), it is linked back.
 */
async function breakIfStale(lockPath: string): Promise<void> {
  const text = await readFile(lockPath, 'utf8').catch(() => undefined);
  if (text === undefined || (await holderAlive(text))) return;
  const aside = `${lockPath}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(lockPath, aside);
  } catch {
    return; // Another waiter moved it first.
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  if (moved !== text && (await holderAlive(moved))) await link(aside, lockPath).catch(() => {});
  await unlink(aside).catch(() => undefined);
}

/**
 * Runs `fn` holding the lock file `lockPath`, waiting up to `waitMs` for another holder; a lock
 * whose holder died (a killed helper) is broken, a live one never. On release the file is removed
 * only if it still holds this call's token.
 */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  waitMs = LOCK_WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  const content = `${process.pid} ${(await startTimeOf(process.pid)) ?? '-'} ${randomBytes(16).toString('hex')}\n`;
  while (!(await tryTake(lockPath, content))) {
    await breakIfStale(lockPath);
    if (Date.now() > deadline)
      throw refuse(
        'privileged-busy',
        `Another LabDeck call holds ${lockPath}; it did not finish within ${waitMs / 1000} s.`,
        `Try again in a moment. The lock names its holder's pid: if no such process runs, it is broken by the next call.`,
      );
    await sleep(LOCK_POLL_MS);
  }
  try {
    return await fn();
  } finally {
    const held = await readFile(lockPath, 'utf8').catch(() => undefined);
    if (held === content) await unlink(lockPath).catch(() => undefined);
  }
}
