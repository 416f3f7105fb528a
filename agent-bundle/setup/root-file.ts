import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** What a file written by {@link writeRootFile} gets. */
export interface RootFileOptions {
  readonly mode: number;
  readonly uid?: number;
  readonly gid?: number;
  /** Runs on the finished temporary file before it replaces `path` (visudo -cf); throw to stop. */
  readonly check?: (tempPath: string) => Promise<void>;
}

/**
 * Writes `bytes` to `path` as root does it safely in a directory it owns: a temporary file with
 * a random name beside it, created with O_EXCL (a planted file or symlink of that name fails the
 * open instead of being followed), owner and mode set on the open file, checked, then renamed
 * over `path` — so readers see the old file or the new one, never half of one. The temporary
 * name starts with a dot: sudo skips such names in sudoers.d, so a left-behind one is never read.
 */
export async function writeRootFile(
  path: string,
  bytes: Buffer | string,
  options: RootFileOptions,
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.labdeck-${randomBytes(6).toString('hex')}`);
  const file = await open(temp, 'wx', 0o600);
  try {
    try {
      await file.chown(options.uid ?? 0, options.gid ?? 0);
      await file.writeFile(bytes);
      await file.chmod(options.mode);
      await file.sync();
    } finally {
      await file.close();
    }
    await options.check?.(temp);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
