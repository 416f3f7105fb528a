import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_USER_PREFIX } from './users';

const run = promisify(execFile);

/** Where nss-systemd reads JSON user records at run time (`man 5 nss-systemd`, userdb drop-ins). */
const USERDB_DIR = '/run/userdb';

/** A user that NSS knows but /etc/passwd does not: what an LDAP or SSSD user looks like. */
export interface NssOnlyUser {
  readonly username: string;
  readonly uid: number;
  /** Removes the user's record; NSS forgets the user at once. */
  remove(): Promise<void>;
}

/** The passwd entry `getent` prints for `key` (a name or a uid), or null when none exists. */
export async function getentPasswd(key: string | number): Promise<string | null> {
  try {
    return (await run('getent', ['passwd', String(key)])).stdout.trim();
  } catch {
    return null;
  }
}

/**
 * Creates a user known only through NSS: a userdb record in /run/userdb that nss-systemd serves
 * to every program that calls getpwuid(3), while /etc/passwd has no line for it. Checks both,
 * so a test built on it fails loudly where the machine does not resolve it. Needs root and the
 * `nss-systemd` part.
 */
export async function createNssOnlyUser(name: string, uid: number): Promise<NssOnlyUser> {
  const username = `${TEST_USER_PREFIX}${name}`;
  if ((await getentPasswd(uid)) !== null) throw new Error(`uid ${uid} is already taken`);
  await mkdir(USERDB_DIR, { recursive: true, mode: 0o755 });
  const record = join(USERDB_DIR, `${username}.user`);
  const byUid = join(USERDB_DIR, `${uid}.user`);
  const remove = async (): Promise<void> => {
    await rm(byUid, { force: true });
    await rm(record, { force: true });
  };
  await writeFile(
    record,
    JSON.stringify({
      userName: username,
      uid,
      gid: uid,
      homeDirectory: '/nonexistent',
      shell: '/usr/sbin/nologin',
      disposition: 'regular',
    }),
  );
  await symlink(`${username}.user`, byUid);
  const passwd = await readFile('/etc/passwd', 'utf8');
  if (passwd.split('\n').some((line) => line.startsWith(`${username}:`))) {
    await remove();
    throw new Error(`${username} is in /etc/passwd; it must exist through NSS only`);
  }
  if (!(await getentPasswd(uid))?.startsWith(`${username}:`)) {
    await remove();
    throw new Error(`getent passwd ${uid} does not find ${username}: is nss-systemd configured?`);
  }
  return { username, uid, remove };
}
