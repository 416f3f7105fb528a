import { constants } from 'node:fs';
import { access, chmod, lstat, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { AppFailure } from '../../common/contract/result';
import { buildSocketName } from '../../common/agent/agent-socket-name';
import { socketDirKey } from './socket-key';

export { BUILD_ID_HEX_CHARS, buildSocketName } from '../../common/agent/agent-socket-name';

/**
 * The daemon's pid lock and bounded log, beside its socket and named after it
 * (`agent-<sha12>.pid`, `agent-<sha12>.log`), so the daemons of two builds never share either.
 */
export function daemonFiles(socketPath: string): { readonly lock: string; readonly log: string } {
  const stem = join(dirname(socketPath), basename(socketPath, '.sock'));
  return { lock: `${stem}.pid`, log: `${stem}.log` };
}
/** Only the user may enter the directory: nobody else can reach, replace or spy on the socket. */
export const SOCKET_DIR_MODE = 0o700;
/**
 * Longest socket path every platform accepts (`sun_path` is 108 bytes on Linux, 104 on macOS,
 * both counting the terminating NUL).
 */
export const MAX_SOCKET_PATH_BYTES = 103;

const GROUP_OR_WORLD_WRITABLE = 0o022;
const GROUP_OR_WORLD_ANY = 0o077;

/** True when this process may create entries in `dir`. */
async function isWritableDir(dir: string): Promise<boolean> {
  try {
    await access(dir, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where the fallback socket directories go; parameters so tests can use their own. */
export interface SocketPlaces {
  /** World-writable, sticky directory for the fallback (`/tmp`). */
  readonly tmpDir: string;
  /** The user's home, where the key of the private fallback is kept. */
  readonly home: string;
}

/**
 * Where this build's daemon listens by default, the directory created and checked:
 * `$XDG_RUNTIME_DIR/labdeck/agent-<sha12>.sock` (a per-user tmpfs that systemd empties at
 * logout); when XDG_RUNTIME_DIR is unset, relative or not writable (e.g. `su`, cron, some HPC
 * logins), `/tmp/labdeck-<uid>/agent-<sha12>.sock`.
 *
 * Security (issue 6): anyone can create `/tmp/labdeck-<uid>` before the user does, to block the
 * agent for good. Then the socket goes to `/tmp/labdeck-<uid>-<key>/`, where the key is random
 * and private to the user (see {@link socketDirKey}); the path stays far below the socket limit.
 */
export async function defaultSocketPath(
  env: NodeJS.ProcessEnv,
  uid: number,
  bundleSha256: string,
  places: SocketPlaces = { tmpDir: '/tmp', home: env.HOME || homedir() },
): Promise<string> {
  const socketName = buildSocketName(bundleSha256);
  const runtimeDir = env.XDG_RUNTIME_DIR;
  if (runtimeDir && isAbsolute(runtimeDir) && (await isWritableDir(runtimeDir))) {
    return join(runtimeDir, 'labdeck', socketName);
  }
  const shared = join(places.tmpDir, `labdeck-${uid}`, socketName);
  try {
    await ensureSocketDir(shared, uid);
    return shared;
  } catch {
    // Taken by someone else (or unusable): use the private directory instead.
  }
  const key = await socketDirKey(places.home, uid);
  const own = join(places.tmpDir, `labdeck-${uid}-${key}`, socketName);
  await ensureSocketDir(own, uid);
  return own;
}

function refuse(message: string, hint: string): AppFailure {
  return new AppFailure({ code: 'agent-socket-dir-unsafe', message, hint });
}

/**
 * Creates the socket's directory (mode 0700) if needed and checks nobody else controls it.
 *
 * Security: the fallback lives in world-writable /tmp, where another user could create
 * `/tmp/labdeck-<uid>` first (or a symlink by that name) and put their own socket in it, to
 * receive LabDeck's traffic or feed it lies. So the directory must be a real directory (not a
 * symlink), owned by this user, and writable by nobody else; otherwise the agent refuses to use
 * it and says how to fix it. Group/other read or search bits on our own directory are removed.
 */
export async function ensureSocketDir(socketPath: string, uid: number): Promise<void> {
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
    throw refuse(
      `The agent's socket path is too long for a Unix socket: ${socketPath}`,
      'Use a shorter path with --socket, or a shorter XDG_RUNTIME_DIR.',
    );
  }
  const dir = dirname(socketPath);
  await mkdir(dir, { recursive: true, mode: SOCKET_DIR_MODE });
  const info = await lstat(dir);
  if (!info.isDirectory()) {
    throw refuse(
      `${dir} is not a directory (it may be a symlink planted by another user).`,
      `Remove it (rm '${dir}') and connect again.`,
    );
  }
  if (info.uid !== uid) {
    throw refuse(
      `${dir} belongs to another user (uid ${info.uid}), who could intercept LabDeck's connection.`,
      `Ask an administrator to remove ${dir}, or set XDG_RUNTIME_DIR to a private directory.`,
    );
  }
  if ((info.mode & GROUP_OR_WORLD_WRITABLE) !== 0) {
    throw refuse(
      `${dir} is writable by other users (mode ${(info.mode & 0o777).toString(8)}), who could replace the agent's socket.`,
      `Run: chmod 700 '${dir}'  (or remove it: rm -r '${dir}') and connect again.`,
    );
  }
  if ((info.mode & GROUP_OR_WORLD_ANY) !== 0) await chmod(dir, SOCKET_DIR_MODE);
}
