import { constants } from 'node:fs';
import { access, chmod, lstat, mkdir } from 'node:fs/promises';
import { AppFailure } from '../../common/contract/result';

/** Where host setup puts the lease directory (root-made, shared by every user's agent). */
export const HOST_LOCK_DIR = '/var/lib/labdeck/locks';
/** Where the lease directory goes until host setup has made {@link HOST_LOCK_DIR}. */
export const FALLBACK_LOCK_DIR = '/tmp/labdeck-locks';
/**
 * Everyone may create and remove entries, and there is no sticky bit: a user's agent must be able
 * to remove the stale lock another user's dead agent left behind.
 */
export const SHARED_LOCK_DIR_MODE = 0o777;
const STICKY_BIT = 0o1000;
const PERMISSION_BITS = 0o7777;

function unsafe(message: string, hint: string): AppFailure {
  return new AppFailure({ code: 'allocation-lease-unsafe', message, hint });
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
 * The lease directory to use, created if needed and checked: `override` (tests,
 * `LABDECK_LOCK_DIR`), else `hostLockDir` ({@link HOST_LOCK_DIR} under the system root) when it
 * exists, else {@link FALLBACK_LOCK_DIR}.
 *
 * Security: the fallback lives in world-writable /tmp, so anybody may have made it first. A
 * symlink (which could point the lease at a file of the victim's) or a non-directory is refused,
 * as is a directory this user cannot write or one with the sticky bit (stale locks of others
 * could not be broken). The lease is cooperative: any user of the host can hold it, and that is
 * all a planted directory could do too.
 */
export async function ensureLeaseDir(
  override: string | undefined,
  uid: number,
  hostLockDir = HOST_LOCK_DIR,
): Promise<string> {
  const dir = override || ((await lstatOrUndefined(hostLockDir)) ? hostLockDir : FALLBACK_LOCK_DIR);
  let info = await lstatOrUndefined(dir);
  if (info === undefined) {
    try {
      await mkdir(dir, { mode: SHARED_LOCK_DIR_MODE });
      // mkdir's mode is cut by the umask; the directory must be writable by everyone.
      await chmod(dir, SHARED_LOCK_DIR_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    info = await lstat(dir);
  }
  if (info.isSymbolicLink()) {
    throw unsafe(
      `The allocation lease directory ${dir} is a symlink (another user may have planted it).`,
      `Remove it (rm '${dir}') and launch again; LabDeck recreates it as a real directory.`,
    );
  }
  if (!info.isDirectory()) {
    throw unsafe(
      `The allocation lease directory ${dir} is not a directory.`,
      `Remove it (rm '${dir}') and launch again; LabDeck recreates it as a directory.`,
    );
  }
  const ownFallback = dir === FALLBACK_LOCK_DIR && info.uid === uid;
  if (ownFallback && (info.mode & PERMISSION_BITS) !== SHARED_LOCK_DIR_MODE) {
    // Ours from an earlier run whose chmod did not happen: put the shared mode right.
    await chmod(dir, SHARED_LOCK_DIR_MODE);
    info = await lstat(dir);
  }
  if ((info.mode & STICKY_BIT) !== 0) {
    throw unsafe(
      `The allocation lease directory ${dir} has the sticky bit, so a lock left by another user's stopped agent could never be removed.`,
      `Ask its owner (uid ${info.uid}) or an administrator to run: chmod 0777 '${dir}'`,
    );
  }
  try {
    await access(dir, constants.W_OK | constants.X_OK);
  } catch {
    const mode = (info.mode & PERMISSION_BITS).toString(8);
    throw unsafe(
      `The allocation lease directory ${dir} is not writable by this user (owner uid ${info.uid}, mode ${mode}).`,
      `Ask its owner or an administrator to run: chmod 0777 '${dir}' (or remove it: rm -r '${dir}').`,
    );
  }
  return dir;
}
