import { posix } from 'node:path';

/**
 * Who a session's process runs as, and its HOME, worked out as the container runtime does
 * (runc's `GetExecUser`): the image's `User` (`name`, `uid`, `uid:gid`, `name:group`; empty is
 * root) looked up in the container's own /etc/passwd and /etc/group — never the host's, whose
 * names and ids mean nothing inside the image.
 */

/** One line of /etc/passwd. */
export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

/** One line of /etc/group. */
export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
}

/** The user a session's dotfiles are written for. */
export interface SessionUser {
  readonly uid: number;
  readonly gid: number;
  /** How messages name them: the passwd name, else the uid. */
  readonly label: string;
  /** Their home from /etc/passwd; undefined without an entry. */
  readonly passwdHome: string | undefined;
}

/** The outcome of {@link resolveSessionUser}: the user, or why the image's User names none. */
export type UserResolution =
  | { readonly ok: true; readonly user: SessionUser }
  | { readonly ok: false; readonly message: string };

/** Largest Unix id; runc refuses a numeric user or group above it. */
const MAX_ID = 0x7fffffff;

/** A decimal id (`1234`), or undefined for a name. */
function numericId(text: string): number | undefined {
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const id = Number(text);
  return id <= MAX_ID ? id : undefined;
}

/** The lines of an account file, split on `:`, skipping blank lines and comments. */
function fieldsOf(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'));
}

/** The entries of an /etc/passwd text; a line without numeric ids is skipped, as runc does. */
export function parsePasswd(text: string): PasswdEntry[] {
  const entries: PasswdEntry[] = [];
  for (const [name = '', , uid = '', gid = '', , home = ''] of fieldsOf(text)) {
    const u = numericId(uid);
    const g = numericId(gid);
    if (name !== '' && u !== undefined && g !== undefined)
      entries.push({ name, uid: u, gid: g, home });
  }
  return entries;
}

/** The entries of an /etc/group text. */
export function parseGroup(text: string): GroupEntry[] {
  const entries: GroupEntry[] = [];
  for (const [name = '', , gid = ''] of fieldsOf(text)) {
    const g = numericId(gid);
    if (name !== '' && g !== undefined) entries.push({ name, gid: g });
  }
  return entries;
}

/**
 * The user `spec` (the image's `Config.User`) names, given the container's passwd and group
 * entries (empty lists when it has no such file). As runc: the first passwd match by name, or by
 * uid for a number, gives the uid, gid and home; a number without an entry is that uid with gid
 * 0; a group after `:` (name or number) replaces the gid. A name with no entry names nobody, and
 * the container would not start either.
 */
export function resolveSessionUser(
  spec: string,
  passwd: readonly PasswdEntry[],
  groups: readonly GroupEntry[],
): UserResolution {
  const colon = spec.indexOf(':');
  const userPart = (colon === -1 ? spec : spec.slice(0, colon)).trim();
  const groupPart = colon === -1 ? '' : spec.slice(colon + 1).trim();
  const uidArg = userPart === '' ? 0 : numericId(userPart);
  const entry = passwd.find((p) => (uidArg !== undefined ? p.uid === uidArg : p.name === userPart));
  let user: SessionUser;
  if (entry !== undefined)
    user = { uid: entry.uid, gid: entry.gid, label: entry.name, passwdHome: entry.home };
  else if (uidArg !== undefined)
    user = { uid: uidArg, gid: 0, label: `uid ${uidArg}`, passwdHome: undefined };
  else
    return {
      ok: false,
      message: `its user "${userPart}" is not in the image's /etc/passwd`,
    };
  if (groupPart === '') return { ok: true, user };
  const gidArg = numericId(groupPart);
  const group = groups.find((g) =>
    gidArg !== undefined ? g.gid === gidArg : g.name === groupPart,
  );
  if (group !== undefined) return { ok: true, user: { ...user, gid: group.gid } };
  if (gidArg !== undefined) return { ok: true, user: { ...user, gid: gidArg } };
  return { ok: false, message: `its group "${groupPart}" is not in the image's /etc/group` };
}

/** The outcome of {@link sessionHome}: the HOME dotfiles go to, or why home files cannot. */
export type HomeChoice =
  { readonly ok: true; readonly home: string } | { readonly ok: false; readonly reason: string };

/**
 * The HOME of the session's process: the container's `HOME=` (the user's `--env`, else
 * `/home/work` when folders are mounted, else the image's — Docker has merged them in that order
 * into the created container's Env), else the passwd home, else `/root` for uid 0. A relative
 * HOME, or `/` (no home: a nested dotfile would re-own `/etc` or `/usr`), takes no home files.
 */
export function sessionHome(env: readonly string[], user: SessionUser): HomeChoice {
  const set = env
    .filter((entry) => entry.startsWith('HOME='))
    .at(-1)
    ?.slice('HOME='.length);
  const home = set || user.passwdHome || (user.uid === 0 ? '/root' : '');
  if (home === '')
    return { ok: false, reason: `the session's user (${user.label}) has no home directory` };
  if (!home.startsWith('/'))
    return { ok: false, reason: `the session's HOME (${home}) is not an absolute path` };
  const normal = posix.normalize(home).replace(/\/+$/, '') || '/';
  if (normal === '/')
    return { ok: false, reason: `the session's HOME is /, not a home directory of its own` };
  return { ok: true, home: normal };
}
