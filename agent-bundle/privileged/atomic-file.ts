import { randomBytes } from 'node:crypto';
import { chmod, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Mode of every file the helper writes for others to read: root's, world-readable. */
export const PUBLIC_FILE_MODE = 0o644;

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
