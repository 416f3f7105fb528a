import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** The NSS lookup tool of glibc (and musl): asks every source nsswitch.conf names, LDAP/SSSD too. */
export const DEFAULT_GETENT_PATH = 'getent';

/** The local user database, read only where `getent` does not exist (a minimal image). */
export const DEFAULT_PASSWD_PATH = '/etc/passwd';

/** A name found stays this long: renaming a user is rare, and each lookup is a process. */
export const USER_NAME_TTL_MS = 10 * 60_000;

/** A uid without a name is asked again after this, so a user added to LDAP shows up soon. */
export const UNKNOWN_UID_TTL_MS = 60_000;

/** An NSS source (LDAP, SSSD) that hangs must not hold up the GPU list. */
const GETENT_TIMEOUT_MS = 3_000;

/** Where {@link UserNames} looks names up. */
export interface UserNameSources {
  /** Program to run as `getent passwd UID`; null to read {@link passwdPath} only. */
  readonly getent?: string | null;
  readonly passwdPath?: string;
  readonly now?: () => number;
}

/**
 * uid → user name from passwd text (`name:password:uid:gid:gecos:home:shell`). The first entry
 * wins, as in getpwuid(3); comments and NIS `+`/`-` lines are skipped.
 */
export function parsePasswd(text: string): ReadonlyMap<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name = '', , uid = ''] = line.split(':');
    if (name === '' || /^[#+-]/.test(name) || !/^\d+$/.test(uid)) continue;
    if (!users.has(Number(uid))) users.set(Number(uid), name);
  }
  return users;
}

type Lookup = { readonly name: string | null } | { readonly missingTool: true };

/** Runs `getent passwd UID` (argv, no shell); the name, null when unknown, or "no getent here". */
function getentName(program: string, uid: number): Promise<Lookup> {
  return new Promise((resolve) => {
    execFile(program, ['passwd', String(uid)], { timeout: GETENT_TIMEOUT_MS }, (error, stdout) => {
      // Exit 2 is "in no source" (`man 1 getent`); any failure leaves the uid without a name.
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
        return resolve({ missingTool: true });
      }
      if (error) return resolve({ name: null });
      resolve({ name: parsePasswd(stdout).get(uid) ?? null });
    });
  });
}

/**
 * User names of uids as the host's C library resolves them: through NSS (`getent passwd UID`),
 * so users kept in LDAP or SSSD get their names, not only those in /etc/passwd. Each uid is looked
 * up once per {@link USER_NAME_TTL_MS} (a uid without a name once per {@link UNKNOWN_UID_TTL_MS}),
 * and lookups under way are shared. Without a `getent` program it reads the passwd file.
 */
export class UserNames {
  private readonly cache = new Map<number, { at: number; name: Promise<string | null> }>();
  private getent: string | null;
  private readonly passwdPath: string;
  private readonly now: () => number;

  constructor(sources: UserNameSources = {}) {
    this.getent = sources.getent === undefined ? DEFAULT_GETENT_PATH : sources.getent;
    this.passwdPath = sources.passwdPath ?? DEFAULT_PASSWD_PATH;
    this.now = sources.now ?? Date.now;
  }

  /** The name of `uid`, or null when no source knows it. Never throws. */
  name(uid: number): Promise<string | null> {
    const cached = this.cache.get(uid);
    if (cached) {
      const age = this.now() - cached.at;
      if (age < UNKNOWN_UID_TTL_MS) return cached.name;
      if (age < USER_NAME_TTL_MS) {
        return cached.name.then((name) => (name === null ? this.lookUp(uid) : name));
      }
    }
    return this.lookUp(uid);
  }

  private lookUp(uid: number): Promise<string | null> {
    const name = this.resolve(uid);
    this.cache.set(uid, { at: this.now(), name });
    return name;
  }

  private async resolve(uid: number): Promise<string | null> {
    if (this.getent !== null) {
      const found = await getentName(this.getent, uid);
      if (!('missingTool' in found)) return found.name;
      this.getent = null;
    }
    const text = await readFile(this.passwdPath, 'utf8').catch(() => '');
    return parsePasswd(text).get(uid) ?? null;
  }
}
