import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, basename, join } from 'node:path';
import { isProcessAlive } from './process-alive';

/** Permissions of every file LabDeck writes in its home: readable by the owner only. */
export const PRIVATE_FILE_MODE = 0o600;
/** Permissions of LabDeck's home directory. */
export const PRIVATE_DIR_MODE = 0o700;

/**
 * A temporary file older than this is removed even if a process with its writer's pid is alive:
 * a write takes milliseconds, so such a pid was reused after the writer was killed.
 */
export const STALE_TEMP_FILE_MS = 10 * 60_000;

/**
 * This machine's name as it goes into a temporary file's name: a pid means something only on the
 * host that wrote it (a home shared over NFS has writers on several machines).
 */
function hostTag(): string {
  return hostname().replace(/[^A-Za-z0-9.-]/g, '_') || 'unknown';
}

/**
 * `.settings.json.<host>-<pid>-<random>.tmp`: on the same host, the writer's pid tells whether
 * it is still alive.
 */
function temporaryName(path: string): string {
  return `.${basename(path)}.${hostTag()}-${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
}

/**
 * Replaces `path` with `data` so that a reader sees either the old file or the new one, never a
 * half-written one: write a temporary sibling, fsync it, rename it over, fsync the directory.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode: number = PRIVATE_FILE_MODE,
): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const temporary = join(dir, temporaryName(path));
  const file = await open(temporary, 'wx', mode);
  try {
    await file.writeFile(data);
    await file.chmod(mode);
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await file.close();
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const directory = await open(dir, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/**
 * Deletes the temporary files that writers of `path` killed mid-write (`kill -9`, power loss) left
 * next to it, and returns their names. A file is removed when it is older than
 * {@link STALE_TEMP_FILE_MS}, or sooner when this host wrote it and its writer's pid is gone; so a
 * live writer's file is never pulled from under it, even one on another machine sharing the home.
 * Older names (`<pid>-<random>`, `<random>`) say no host, so only their age counts.
 */
export async function removeStaleTempFiles(path: string): Promise<string[]> {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const middle = name.slice(prefix.length, -'.tmp'.length);
    const named = /^(?:(.+)-)?(\d+)-[0-9a-f]+$/.exec(middle);
    if (named === null && !/^[0-9a-f]+$/.test(middle)) continue;
    const file = join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info === undefined) continue; // its writer renamed it into place meanwhile
    const ageMs = Date.now() - info.mtimeMs;
    const writerGone = named?.[1] === hostTag() && !isProcessAlive(Number(named[2]));
    if (!writerGone && ageMs <= STALE_TEMP_FILE_MS) continue;
    await rm(file, { force: true });
    removed.push(name);
  }
  return removed;
}

/** {@link removeStaleTempFiles}, best effort: a folder we cannot list is reported by the next read. */
export function sweepStaleTempFiles(path: string): Promise<void> {
  return removeStaleTempFiles(path).then(
    () => {},
    () => {},
  );
}
