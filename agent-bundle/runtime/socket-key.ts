import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppFailure } from '../../common/contract/result';
import { commandLine } from '../../common/shell/shell-quote';

/** The key's file, in LabDeck's cache in the user's home (~/.cache/labdeck). */
export const SOCKET_KEY_FILE = 'socket-key';
/** 64 random bits, as hex: nobody can guess a directory name made from it. */
const KEY_BYTES = 8;
const KEY_PATTERN = /^[0-9a-f]{16}$/;
const GROUP_OR_WORLD_WRITABLE = 0o022;
const GROUP_OR_WORLD_ANY = 0o077;

/** The key in `path` if it is a private regular file of this user holding a well-formed key. */
async function readOwnKey(path: string, uid: number): Promise<string | undefined> {
  const info = await lstat(path).catch(() => undefined);
  if (info === undefined) return undefined;
  if (info.isFile() && info.uid === uid && (info.mode & GROUP_OR_WORLD_ANY) === 0) {
    const key = (await readFile(path, 'utf8')).trim();
    if (KEY_PATTERN.test(key)) return key;
  }
  // Readable by others, not ours or damaged: it no longer names a private directory.
  await unlink(path).catch(() => undefined);
  return undefined;
}

/** Creates `dir` (0700) if needed and refuses one that another user owns or may write. */
async function ensureCacheDir(dir: string, uid: number): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await lstat(dir);
  if (!info.isDirectory() || info.uid !== uid) {
    throw new AppFailure({
      code: 'agent-cache-unsafe',
      message: `${dir} is not a directory of yours (owner uid ${info.uid}); the agent will not keep its key there.`,
      hint: `Remove it (${commandLine(['rm', '-rf', dir])}) and connect again; ask an administrator if you may not.`,
    });
  }
  if ((info.mode & GROUP_OR_WORLD_WRITABLE) !== 0) await chmod(dir, info.mode & 0o755);
}

/**
 * A random key private to this user, kept in `~/.cache/labdeck/socket-key` (0600) and made on
 * first use. It names the agent's fallback socket directory when another user has taken
 * `/tmp/labdeck-<uid>` (issue 6): a name no one else can predict cannot be squatted in advance.
 */
export async function socketDirKey(home: string, uid: number): Promise<string> {
  const dir = join(home, '.cache', 'labdeck');
  await ensureCacheDir(dir, uid);
  const path = join(dir, SOCKET_KEY_FILE);
  for (;;) {
    const existing = await readOwnKey(path, uid);
    if (existing !== undefined) return existing;
    const key = randomBytes(KEY_BYTES).toString('hex');
    try {
      await writeFile(path, `${key}\n`, { flag: 'wx', mode: 0o600 });
      return key;
    } catch (error) {
      // Another `connect` wrote one first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
