import { createHmac, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import {
  appendFile,
  chmod,
  chown,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { PARTS } from './require-part';

const execFileAsync = promisify(execFile);

/** Every harness user's name starts with this, so they are easy to spot and never collide. */
export const TEST_USER_PREFIX = 'labdeck-test-';
/** Serialises useradd, chpasswd and authorized_keys edits across test files and parallel runs. */
const USERS_LOCK_PATH = join(tmpdir(), 'labdeck-test-users.lock');
/** A holder needs well under a second; a lock this old was left by a killed process. */
const USERS_LOCK_STALE_MS = 15_000;
const USERS_LOCK_POLL_MS = 50;
/** Root-only secret that test passwords derive from: stable per machine, unguessable elsewhere. */
const PASSWORD_SEED_PATH = join(tmpdir(), 'labdeck-test-password-seed');
const PASSWORD_LENGTH_CHARS = 24;
const SSH_KEYGEN_PATH = PARTS['ssh-keygen'].path;

/** An ed25519 key pair written by ssh-keygen. */
export interface KeyPair {
  readonly privateKeyPath: string;
  readonly publicKeyPath: string;
  /** The OpenSSH public key line, e.g. `ssh-ed25519 AAAA… comment`. */
  readonly publicKey: string;
  /** As OpenSSH prints it: `SHA256:` and unpadded base64. */
  readonly fingerprintSha256: string;
}

/** A Unix user on this machine with a fresh key authorized for it (see {@link createTestUser}). */
export interface TestUser extends KeyPair {
  readonly username: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  /** Works for SSH password authentication through PAM. */
  readonly password: string;
  /** The private key's passphrase, or undefined when it has none. */
  readonly passphrase: string | undefined;
  /** Drop this key from authorized_keys and delete its files; the Unix user itself stays. */
  dispose(): Promise<void>;
}

/** Generate an ed25519 key pair at `privateKeyPath` (and `.pub`) with ssh-keygen. */
export async function createKeyPair(
  privateKeyPath: string,
  options: { readonly passphrase?: string; readonly comment?: string } = {},
): Promise<KeyPair> {
  const comment = options.comment ?? `labdeck-test-${randomBytes(6).toString('hex')}`;
  const passphrase = options.passphrase ?? '';
  const keygen = ['-q', '-t', 'ed25519', '-N', passphrase, '-C', comment, '-f', privateKeyPath];
  await execFileAsync(SSH_KEYGEN_PATH, keygen);
  const publicKeyPath = `${privateKeyPath}.pub`;
  const publicKey = (await readFile(publicKeyPath, 'utf8')).trim();
  const fingerprint = ['-l', '-E', 'sha256', '-f', publicKeyPath];
  const { stdout } = await execFileAsync(SSH_KEYGEN_PATH, fingerprint);
  const fingerprintSha256 = stdout.split(' ')[1] ?? '';
  if (!fingerprintSha256.startsWith('SHA256:')) {
    throw new Error(`unexpected ssh-keygen -l output: ${stdout}`);
  }
  return { privateKeyPath, publicKeyPath, publicKey, fingerprintSha256 };
}

const keyDirs = new Set<string>();
process.once('exit', () => keyDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/**
 * Ensure the Unix user `labdeck-test-<name>` exists (`useradd -m -s /bin/bash`), give it its
 * machine-stable password, and authorize a new ed25519 key for it in ~/.ssh/authorized_keys.
 * Idempotent and safe from several test files at once: the user is created once, each call
 * gets its own key. Needs root.
 */
export async function createTestUser(
  name: string,
  options: { readonly passphrase?: string } = {},
): Promise<TestUser> {
  if (!/^[a-z][a-z0-9-]{0,18}$/.test(name)) throw new Error(`bad test user name: ${name}`);
  const username = `${TEST_USER_PREFIX}${name}`;
  const keyDir = await mkdtemp(join(tmpdir(), 'labdeck-key-'));
  keyDirs.add(keyDir);
  const key = await createKeyPair(join(keyDir, 'id_ed25519'), {
    passphrase: options.passphrase,
    comment: `${username}@${keyDir}`,
  });
  const { uid, gid, home, password } = await withUsersLock(async () => {
    if ((await lookupUser(username)) === undefined) {
      const useradd = ['-m', '-s', '/bin/bash', '-c', 'LabDeck test user', username];
      await execFileAsync('useradd', useradd);
    }
    const password = await passwordFor(username);
    const chpasswd = execFileAsync('chpasswd');
    chpasswd.child.stdin?.end(`${username}:${password}\n`);
    await chpasswd;
    const user = await lookupUser(username);
    if (user === undefined) throw new Error(`useradd did not create ${username}`);
    await authorizeKey(user, key.publicKey);
    return { ...user, password };
  });
  const authorizedKeysPath = join(home, '.ssh', 'authorized_keys');
  return {
    ...key,
    username,
    uid,
    gid,
    home,
    password,
    passphrase: options.passphrase,
    dispose: async () => {
      await withUsersLock(async () => {
        const lines = (await readFile(authorizedKeysPath, 'utf8')).split('\n');
        const kept = lines.filter((line) => line.trim() !== key.publicKey);
        await writeFile(authorizedKeysPath, kept.join('\n'));
      });
      await rm(keyDir, { recursive: true, force: true });
      keyDirs.delete(keyDir);
    },
  };
}

interface PasswdEntry {
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

/** The passwd entry for `username`, or undefined when there is no such user. */
async function lookupUser(username: string): Promise<PasswdEntry | undefined> {
  try {
    const { stdout } = await execFileAsync('getent', ['passwd', username]);
    const [, , uid, gid, , home] = stdout.trim().split(':');
    return { uid: Number(uid), gid: Number(gid), home: home ?? '' };
  } catch (error) {
    if ((error as { code?: unknown }).code === 2) return undefined; // getent: key not found
    throw error;
  }
}

/** Append `publicKey` to the user's ~/.ssh/authorized_keys with the modes sshd's StrictModes wants. */
async function authorizeKey(user: PasswdEntry, publicKey: string): Promise<void> {
  await ensureHome(user);
  const sshDir = join(user.home, '.ssh');
  const authorizedKeysPath = join(sshDir, 'authorized_keys');
  await mkdir(sshDir, { recursive: true, mode: 0o700 });
  await appendFile(authorizedKeysPath, `${publicKey}\n`, { mode: 0o600 });
  for (const path of [sshDir, authorizedKeysPath]) await chown(path, user.uid, user.gid);
  await chmod(sshDir, 0o700);
  await chmod(authorizedKeysPath, 0o600);
}

/**
 * Makes a test user's home again where an earlier run left the user but not the directory (a
 * cleaned /tmp under a home moved there): their own, 0755, its missing parents root's 0755 —
 * as `useradd -m` would, so sshd's StrictModes accepts the keys put in it.
 */
async function ensureHome(user: PasswdEntry): Promise<void> {
  const there = await stat(user.home).catch(() => undefined);
  if (there !== undefined) return;
  await mkdir(dirname(user.home), { recursive: true, mode: 0o755 });
  await mkdir(user.home, { mode: 0o755 });
  await chown(user.home, user.uid, user.gid);
  await chmod(user.home, 0o755);
}

/** This machine's password for `username`, derived from a root-only seed created on first use. */
async function passwordFor(username: string): Promise<string> {
  try {
    await writeFile(PASSWORD_SEED_PATH, randomBytes(32).toString('hex'), {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const seed = await readFile(PASSWORD_SEED_PATH, 'utf8');
  const digest = createHmac('sha256', seed).update(username).digest('base64url');
  return digest.slice(0, PASSWORD_LENGTH_CHARS);
}

/** Run `fn` holding a cross-process lock (an atomic mkdir), breaking locks left by dead holders. */
async function withUsersLock<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(USERS_LOCK_PATH);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = await stat(USERS_LOCK_PATH).catch(() => undefined);
      if (held !== undefined && Date.now() - held.mtimeMs > USERS_LOCK_STALE_MS) {
        await rm(USERS_LOCK_PATH, { recursive: true, force: true });
      }
      await sleep(USERS_LOCK_POLL_MS);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(USERS_LOCK_PATH, { recursive: true, force: true });
  }
}
