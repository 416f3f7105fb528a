import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { extract } from 'tar-stream';
import { AppFailure } from '../../common/contract/result';
import type { DotfilePreviewEntry, DotfileReport } from '../../common/dotfiles/dotfile-store';
import type { FolderMount } from '../../common/folders/folder-view';
import { dotfileArchive } from './dotfile-archive';
import {
  dotfileBases,
  neededDirectories,
  plainReason,
  planDotfiles,
  type BaseResolution,
  type ContainerMount,
} from './container-dotfile-plan';
import { parseGroup, parsePasswd, resolveSessionUser, sessionHome } from './container-user';

/**
 * Writes a session's merged dotfiles into its container (issue 13): created, not yet started,
 * so they are there before its first process runs. Everything goes through the Docker API —
 * the container's own /etc/passwd and /etc/group read with `GET …/archive`, its paths looked at
 * with `HEAD …/archive`, the files extracted with `PUT …/archive` — and nothing is run on the
 * host. Docker mounts a container's binds for those calls too, so the plan
 * (container-dotfile-plan.ts) keeps every file away from them.
 */

/** What `HEAD /containers/ID/archive` says of a path (its `X-Docker-Container-Path-Stat`). */
export interface PathStat {
  readonly mode: number;
  /** For a symbolic link: its target, fully resolved inside the container; else empty. */
  readonly linkTarget: string;
}

/** How a path of the container is looked at: its stat, or null when it does not exist. */
export type StatPath = (path: string) => Promise<PathStat | null>;

/** Go's `os.ModeDir` bit of a stat's mode. */
const GO_MODE_DIR = 2 ** 31;
/** Symbolic links followed in one lookup before giving up (Linux's own limit). */
const MAX_LINKS = 40;
/** Largest /etc/passwd or /etc/group read (an image with a directory's worth of users). */
const MAX_ACCOUNT_FILE_BYTES = 4 * 1024 * 1024;

/** Paths every started container gets over its own: files a dotfile there would never show. */
const DOCKER_MANAGED: readonly ContainerMount[] = [
  ...['/etc/hosts', '/etc/hostname', '/etc/resolv.conf'].map((target) => ({
    target,
    noun: target,
    from: 'written by Docker when the session starts',
  })),
  ...['/proc', '/sys', '/dev'].map((target) => ({
    target,
    noun: target,
    from: 'mounted when the session starts',
  })),
];

/** Whether a stat is a directory's (Go's `os.ModeDir`, bit 31: beyond JavaScript's `&`). */
function isDirectory(stat: PathStat): boolean {
  return Math.floor(stat.mode / GO_MODE_DIR) % 2 === 1;
}

/** The stat of `path` in `container`, each path asked once. */
function statter(container: Docker.Container): StatPath {
  const known = new Map<string, Promise<PathStat | null>>();
  return (path) => {
    let answer = known.get(path);
    if (answer === undefined) {
      answer = container.infoArchive({ path }).then(
        (response: Readable & { headers: Record<string, string | undefined> }) => {
          response.resume();
          const header = response.headers['x-docker-container-path-stat'];
          if (header === undefined) throw new Error(`Docker gave no stat of ${path}`);
          const stat = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as {
            mode?: number;
            linkTarget?: string;
          };
          return { mode: stat.mode ?? 0, linkTarget: stat.linkTarget ?? '' };
        },
        (error: { statusCode?: number }) => {
          if (error.statusCode === 404) return null;
          throw error;
        },
      );
      known.set(path, answer);
    }
    return answer;
  };
}

/**
 * Where directory `path` really is in the container: each part looked at in turn and every
 * symbolic link followed (Docker resolves the target in the container), up to the first part
 * that does not exist. A part that is a file cannot hold a dotfile.
 */
export async function resolveDir(stat: StatPath, path: string, links = 0): Promise<BaseResolution> {
  const parts = path.split('/').filter((part) => part !== '');
  let at = '/';
  for (const [index, part] of parts.entries()) {
    const next = posix.join(at, part);
    const found = await stat(next);
    if (found === null) return { ok: true, dir: { existing: at, missing: parts.slice(index) } };
    if (found.linkTarget !== '') {
      if (links >= MAX_LINKS)
        return { ok: false, reason: `${path} has too many symbolic links on the way` };
      const target = await resolveDir(stat, found.linkTarget, links + 1);
      if (!target.ok) return target;
      if (target.dir.missing.length > 0)
        return {
          ok: true,
          dir: {
            existing: target.dir.existing,
            missing: [...target.dir.missing, ...parts.slice(index + 1)],
          },
        };
      at = target.dir.existing;
      continue;
    }
    if (!isDirectory(found)) return { ok: false, reason: `${next} is a file, not a directory` };
    at = next;
  }
  return { ok: true, dir: { existing: at, missing: [] } };
}

/**
 * Where the session's `home` really is ({@link resolveDir}); refused when its links lead to `/`
 * (an image with /home/work -> /): home files would go into the container's root, and one like
 * `etc/cron.d/x` would be the user's in /etc, as a literal `/` is refused by sessionHome.
 */
export async function resolveHome(stat: StatPath, home: string): Promise<BaseResolution> {
  const resolved = await resolveDir(stat, home);
  if (resolved.ok && resolved.dir.existing === '/' && resolved.dir.missing.length === 0)
    return {
      ok: false,
      reason: `the session's HOME (${home}) leads to / through a symbolic link, not a home directory of its own`,
    };
  return resolved;
}

/**
 * Where file `path` really is, as Docker finds it to mount a bound file there: its directory
 * resolved ({@link resolveDir}), and a last part that is a symbolic link followed to its target
 * (a library bound at /usr/lib/libvgpu.so -> /etc/profile.d/lab.sh is mounted over lab.sh).
 * A directory that cannot hold it: the path as given.
 */
export async function resolveFilePath(stat: StatPath, path: string, links = 0): Promise<string> {
  const parent = await resolveDir(stat, posix.dirname(path));
  if (!parent.ok) return path;
  const real = posix.join(parent.dir.existing, ...parent.dir.missing, posix.basename(path));
  if (parent.dir.missing.length > 0 || links >= MAX_LINKS) return real;
  const found = await stat(real);
  if (found === null || found.linkTarget === '') return real;
  return resolveFilePath(stat, found.linkTarget, links + 1);
}

/**
 * Which of `paths` (outermost first, {@link neededDirectories}) are real directories of the
 * container — not symbolic links, not files. A path is looked at only when the directory above
 * it is one of them, or is not in the list (its base): below a link Docker's stat would follow
 * it, and below a file it would fail.
 */
export async function realDirectories(
  stat: StatPath,
  paths: readonly string[],
): Promise<Set<string>> {
  const listed = new Set(paths);
  const real = new Set<string>();
  for (const path of paths) {
    const parent = posix.dirname(path);
    if (listed.has(parent) && !real.has(parent)) continue;
    const found = await stat(path);
    if (found !== null && found.linkTarget === '' && isDirectory(found)) real.add(path);
  }
  return real;
}

/** The text of a file of the container (its links followed), or undefined when it has none. */
async function readContainerFile(
  container: Docker.Container,
  stat: StatPath,
  path: string,
): Promise<string | undefined> {
  const found = await stat(path);
  if (found === null) return undefined;
  const real = found.linkTarget !== '' ? found.linkTarget : path;
  const target = real === path ? found : await stat(real);
  if (target === null || isDirectory(target)) return undefined;
  const archive = (await container.getArchive({ path: real })) as Readable;
  const reader = extract();
  let text: string | undefined;
  for await (const entry of archive.pipe(reader)) {
    if (text === undefined && entry.header.type === 'file') {
      if ((entry.header.size ?? 0) > MAX_ACCOUNT_FILE_BYTES)
        throw new Error(`${path} in the image is larger than ${MAX_ACCOUNT_FILE_BYTES} bytes`);
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      text = Buffer.concat(chunks).toString('utf8');
    } else entry.resume();
  }
  return text;
}

/**
 * Everything mounted in the container, at its real path there: its binds and volumes (folders
 * named as such) and the paths Docker mounts when it starts.
 */
async function containerMounts(
  info: Docker.ContainerInspectInfo,
  folders: readonly FolderMount[],
  stat: StatPath,
): Promise<ContainerMount[]> {
  const declared: ContainerMount[] = info.Mounts.map((mount) => {
    const folder = folders.find((f) => f.target === mount.Destination);
    if (folder !== undefined)
      return {
        target: mount.Destination,
        noun: `the folder ${folder.name}`,
        from: 'mounted from the host',
      };
    if (mount.Type === 'volume')
      return {
        target: mount.Destination,
        noun: `the Docker volume at ${mount.Destination}`,
        from: 'kept on the host',
      };
    return { target: mount.Destination, noun: mount.Destination, from: 'mounted from the host' };
  });
  return Promise.all(
    [...declared, ...DOCKER_MANAGED].map(async (mount) => {
      // A file bound (HAMi-core's library) is where its directory really is, or where the
      // link it is bound over points.
      const whole = await resolveDir(stat, mount.target);
      const target = whole.ok
        ? posix.join(whole.dir.existing, ...whole.dir.missing)
        : await resolveFilePath(stat, mount.target);
      return { ...mount, target };
    }),
  );
}

/**
 * Writes `files` (the agent's `dotfiles.preview` with contents) into the created `container`,
 * whose folders are `folders`: home files into the session user's HOME, theirs, system files
 * root's, each with its mode (container-dotfile-plan.ts says where and what is skipped). No
 * files: nothing is asked or written. Throws when the container cannot be read or written.
 */
export async function writeContainerDotfiles(
  container: Docker.Container,
  files: readonly DotfilePreviewEntry[],
  folders: readonly FolderMount[],
): Promise<Omit<DotfileReport, 'group'>> {
  if (files.length === 0) return { written: 0, skipped: [] };
  const unread = files.find((file) => file.content === undefined);
  if (unread !== undefined) throw new Error(`the agent sent ${unread.path} without its text`);
  const stat = statter(container);
  const info = await container.inspect();
  const needs = dotfileBases(files);
  let user = { uid: 0, gid: 0 };
  let home: BaseResolution | undefined;
  if (needs.home) {
    const [passwd, group] = await Promise.all([
      readContainerFile(container, stat, '/etc/passwd'),
      readContainerFile(container, stat, '/etc/group'),
    ]);
    const resolved = resolveSessionUser(
      info.Config.User ?? '',
      parsePasswd(passwd ?? ''),
      parseGroup(group ?? ''),
    );
    if (!resolved.ok) throw new Error(`the image's files have no owner: ${resolved.message}`);
    user = resolved.user;
    const chosen = sessionHome(info.Config.Env ?? [], resolved.user);
    home = chosen.ok ? await resolveHome(stat, chosen.home) : chosen;
  }
  const [mounts, systemBases] = await Promise.all([
    containerMounts(info, folders, stat),
    Promise.all(needs.system.map(async (base) => [base, await resolveDir(stat, base)] as const)),
  ]);
  const bases = { files, user, home, systemBases: new Map(systemBases), mounts };
  const directories = await realDirectories(stat, neededDirectories(bases));
  const plan = planDotfiles({ ...bases, directories });
  for (const put of plan.puts)
    await container.putArchive(await dotfileArchive(put.entries), { path: put.path });
  return { written: plan.written, skipped: plan.skipped };
}

/**
 * The failure of a launch whose dotfiles could not be written (its container is removed):
 * `typedHost` is the host as a command line types it.
 */
export function dotfilesFailed(hostName: string, typedHost: string, error: unknown): AppFailure {
  return new AppFailure({
    code: 'session-dotfiles-failed',
    message: `The session's dotfiles could not be written into its container on ${hostName}, so it was not started: ${plainReason((error as Error).message)}.`,
    hint: `Nothing was left behind. See what a session gets with \`labdeck dotfile preview ${typedHost}\`, then start it again (or with another image).`,
  });
}
