import { createHash } from 'node:crypto';
import { open, readFile, rm } from 'node:fs/promises';
import { AppFailure } from '../../common/contract/result';

/** Where the lock lives: /run is root's tmpfs, gone after a reboot (no stale lock survives it). */
const LOCK_DIR = '/run';

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Holds the one lock of host setup for `root` while `work` runs: two setups at once (a double
 * click, a retry while the first still runs on the host) would each save the undo record last
 * and lose the other's entries. The lock is a file created with O_EXCL holding the pid; one left
 * by a process that is gone is broken.
 */
export async function withSetupLock<T>(root: string, work: () => Promise<T>): Promise<T> {
  const name = createHash('sha256').update(root).digest('hex').slice(0, 16);
  const path = `${LOCK_DIR}/labdeck-setup-${name}.lock`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const file = await open(path, 'wx', 0o600);
      await file.writeFile(`${process.pid}\n`);
      await file.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isSafeInteger(holder) && holder > 0 && running(holder))
        throw new AppFailure({
          code: 'setup-running',
          message: `Host setup is already running on this host (pid ${holder}); this run changed nothing.`,
          hint: 'Wait for it to finish, then run setup again to see where the host stands.',
        });
      await rm(path, { force: true });
    }
  }
  try {
    return await work();
  } finally {
    await rm(path, { force: true });
  }
}
