import { link, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Moves an unreadable file out of the way, next to where it was, as `<base>.json` (or
 * `<base>-2.json`… when taken) and returns the new path. link() then unlink() rather than rename(),
 * because link() refuses to overwrite: an earlier file moved aside is never lost.
 */
export async function moveAside(path: string, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = join(dirname(path), n === 1 ? `${base}.json` : `${base}-${n}.json`);
    try {
      await link(path, candidate);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    await unlink(path);
    return candidate;
  }
}
