import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, lstat, mkdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';

/** Only the user may enter the socket's directory: nobody else can reach, replace or spy on it. */
export const LOCAL_SOCKET_DIR_MODE = 0o700;
/** The socket itself: read and write for the user only. */
export const LOCAL_SOCKET_MODE = 0o600;
/** Hex digits of the settings folder's sha256 in the socket's name: one socket per LABDECK_HOME. */
const HOME_KEY_HEX_CHARS = 16;
/** Group or other may do anything at all: refused on the socket and its directory. */
const GROUP_OR_OTHER_ANY = 0o077;

/**
 * Where the LabDeck serving `home` listens for CLIs of the same user:
 * `$XDG_RUNTIME_DIR/labdeck/app-<key>.sock` (the user's private runtime dir), or
 * `/tmp/labdeck-<uid>/app-<key>.sock` when XDG_RUNTIME_DIR is unset or relative (the directory
 * the host agent uses too). The key hashes the settings folder, so a test or script with its own
 * LABDECK_HOME never meets the user's running app.
 */
export async function localSocketPath(
  home: string,
  env: NodeJS.ProcessEnv,
  uid: number,
  tmpDir = '/tmp',
): Promise<string> {
  const key = createHash('sha256').update(resolve(home)).digest('hex').slice(0, HOME_KEY_HEX_CHARS);
  const name = `app-${key}.sock`;
  const runtimeDir = env.XDG_RUNTIME_DIR;
  if (runtimeDir && isAbsolute(runtimeDir) && (await writable(runtimeDir))) {
    return join(runtimeDir, 'labdeck', name);
  }
  return join(tmpDir, `labdeck-${uid}`, name);
}

async function writable(dir: string): Promise<boolean> {
  try {
    await access(dir, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Why a socket or its directory is not safe to use; the CLI says it and works in-process. */
export class UnsafeSocket extends Error {}

/**
 * Checks that `path` is a real directory (or, with `kind: 'socket'`, a socket), not a symlink,
 * owned by `uid` and closed to group and other. Security: lab machines are shared, and the
 * fallback directory lives in world-writable /tmp, where another user could plant a directory
 * or a socket of their own to receive the CLI's requests or feed it lies.
 */
export async function checkPrivate(
  path: string,
  uid: number,
  kind: 'directory' | 'socket',
): Promise<void> {
  const info = await lstat(path);
  const isKind = kind === 'directory' ? info.isDirectory() : info.isSocket();
  if (!isKind) throw new UnsafeSocket(`${path} is not a ${kind} (it may be a planted symlink)`);
  if (info.uid !== uid) throw new UnsafeSocket(`${path} belongs to another user (uid ${info.uid})`);
  if ((info.mode & GROUP_OR_OTHER_ANY) !== 0)
    throw new UnsafeSocket(
      `${path} is open to other users (mode ${(info.mode & 0o777).toString(8)})`,
    );
}

/**
 * Creates the socket's directory (0700) if needed, then checks it as {@link checkPrivate} does.
 * Our own directory with only read/search bits for others is tightened; one that others may
 * write to, or that someone else owns, is refused (the server then does not listen).
 */
export async function ensurePrivateDir(dir: string, uid: number): Promise<void> {
  await mkdir(dir, { recursive: true, mode: LOCAL_SOCKET_DIR_MODE });
  const info = await lstat(dir);
  if (info.isDirectory() && info.uid === uid && (info.mode & 0o022) === 0)
    await chmod(dir, LOCAL_SOCKET_DIR_MODE);
  await checkPrivate(dir, uid, 'directory');
}
