import { posix } from 'node:path';
import { displayDotfilePath } from '../../common/dotfiles/dotfile-changes';
import type { DotfilePreviewEntry, DotfileReport } from '../../common/dotfiles/dotfile-store';
import { terminalSafe } from '../../common/text/terminal-safe';
import type { ArchiveEntry } from './dotfile-archive';

/**
 * Which of a session's merged dotfiles go where in its container, and which are skipped and why
 * (issue 13). Pure: the container's paths have been looked at already ({@link ResolvedDir}), so
 * this only decides. The rule that matters most: nothing is written on the host, so no file is
 * at, under or above a path something is mounted at (a folder, a GPU sharing bind, a volume),
 * and no file is written when its home directory itself lies in a mount.
 */

/** A directory of the container as looked up: the longest part that exists, and the rest. */
export interface ResolvedDir {
  /** An existing directory, every symbolic link on the way followed (in the container). */
  readonly existing: string;
  /** The parts below {@link existing} that do not exist yet, outermost first. */
  readonly missing: readonly string[];
}

/** A base directory dotfiles go under, looked up; or why nothing can go there. */
export type BaseResolution =
  | { readonly ok: true; readonly dir: ResolvedDir }
  | { readonly ok: false; readonly reason: string };

/** Something mounted in the container, at its real path there, and how reasons name it. */
export interface ContainerMount {
  /** Where it is mounted, symbolic links followed as Docker follows them when it mounts. */
  readonly target: string;
  /** `the folder .local`, `/tmp/nvidia-mps`, `the Docker volume at /data`. */
  readonly noun: string;
  /** `mounted from the host`, `kept on the host`, `written by Docker when the session starts`. */
  readonly from: string;
}

/** Everything the plan is made from. */
export interface DotfilePlanInput {
  /** The merged set, with contents (`dotfiles.preview {content: true}`). */
  readonly files: readonly DotfilePreviewEntry[];
  /** Owner of home files and of the directories made for them. */
  readonly user: { readonly uid: number; readonly gid: number };
  /** The session's HOME as looked up; needed only when there are home files. */
  readonly home: BaseResolution | undefined;
  /** Each system base ({@link systemBaseOf}) as looked up. */
  readonly systemBases: ReadonlyMap<string, BaseResolution>;
  readonly mounts: readonly ContainerMount[];
  /**
   * Which of the directories {@link neededDirectories} lists already are real directories of
   * the container (not symbolic links, not files): those are kept as the image has them.
   */
  readonly directories: ReadonlySet<string>;
}

/** One archive to extract at an existing directory of the container. */
export interface DotfilePut {
  readonly path: string;
  readonly entries: readonly ArchiveEntry[];
}

/** What to write, and the report of it. */
export interface DotfilePlan {
  readonly puts: readonly DotfilePut[];
  readonly written: number;
  readonly skipped: DotfileReport['skipped'];
}

/** Mode of every directory a dotfile needs: a normal directory. */
export const DOTFILE_DIR_MODE = 0o755;

/** Owner of system files and of the directories above a missing base. */
const ROOT = { uid: 0, gid: 0 } as const;

/** `/etc` for `/etc/profile.d/lab.sh`: the top directory a system file goes under. */
export function systemBaseOf(path: string): string {
  const parts = path.split('/').filter((part) => part !== '');
  return parts.length > 1 ? `/${parts[0]}` : '/';
}

/** The home files (relative paths) and system bases a set of dotfiles needs looked up. */
export function dotfileBases(files: readonly Pick<DotfilePreviewEntry, 'path'>[]): {
  readonly home: boolean;
  readonly system: readonly string[];
} {
  const system = new Set<string>();
  let home = false;
  for (const file of files)
    if (file.path.startsWith('/')) system.add(systemBaseOf(file.path));
    else home = true;
  return { home, system: [...system].sort() };
}

/** `/a/b` is `/a` or below it. */
function within(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(`${dir}/`);
}

/** Why a file at `real` would write on the host or over a mount; undefined when it would not. */
export function mountProblem(real: string, mounts: readonly ContainerMount[]): string | undefined {
  for (const mount of mounts) {
    if (real === mount.target) return `${mount.noun} is there, ${mount.from}`;
    if (within(real, mount.target)) return `inside ${mount.noun}, ${mount.from}`;
  }
  for (const mount of mounts)
    if (within(mount.target, real))
      return `it would replace the directory holding ${mount.noun}, ${mount.from}`;
  return undefined;
}

/** Why nothing can go in the base directory `real`, being in a mount; undefined when it can. */
function baseProblem(
  label: string,
  real: string,
  mounts: readonly ContainerMount[],
): string | undefined {
  for (const mount of mounts) {
    if (real === mount.target) return `${label} ${real} is ${mount.noun}, ${mount.from}`;
    if (within(real, mount.target))
      return `${label} ${real} is inside ${mount.noun}, ${mount.from}`;
  }
  return undefined;
}

/** A planned file: where it lands and under which base. */
interface Placed {
  readonly file: DotfilePreviewEntry;
  readonly real: string;
  readonly base: string;
}

/** Where a file goes: its base's key (`/etc`, `~`) and resolution, and its path below it. */
interface Target {
  readonly key: string;
  readonly resolution: BaseResolution | undefined;
  readonly relative: string;
}

/** What {@link neededDirectories} needs of the plan's input. */
type PlanBases = Pick<DotfilePlanInput, 'files' | 'home' | 'systemBases'>;

/** Under which base `file` goes, and its path there. */
function targetOf(file: Pick<DotfilePreviewEntry, 'path'>, input: PlanBases): Target {
  if (!file.path.startsWith('/')) return { key: '~', resolution: input.home, relative: file.path };
  const key = systemBaseOf(file.path);
  return {
    key,
    resolution: input.systemBases.get(key),
    relative: posix.relative(key, file.path),
  };
}

/** The real path of a resolved base. */
function realOf(dir: ResolvedDir): string {
  return posix.join(dir.existing, ...dir.missing);
}

/**
 * The directories the files need below their bases, where their bases already exist, at their
 * real paths in the container, outermost first: the ones to look at before planning, so that
 * {@link planDotfiles} makes only those that are not real directories yet.
 */
export function neededDirectories(input: PlanBases): string[] {
  const needed = new Set<string>();
  for (const file of input.files) {
    const { resolution, relative } = targetOf(file, input);
    if (resolution?.ok !== true || resolution.dir.missing.length > 0) continue;
    const parts = relative.split('/');
    for (let depth = 1; depth < parts.length; depth += 1)
      needed.add(posix.join(resolution.dir.existing, ...parts.slice(0, depth)));
  }
  return [...needed].sort();
}

/**
 * A reason as the report shows it: the paths in it come from the image (its links, its HOME,
 * its user), so escape sequences and control characters are dropped and line breaks become
 * spaces — a hostile image cannot draw over the window or the terminal, or fake a line.
 */
export function plainReason(reason: string): string {
  return terminalSafe(reason).replace(/[\t\n]/g, ' ');
}

/**
 * Plans the writes: system files (root's) under their base, then home files (the user's) under
 * HOME, each with its mode. A directory a file needs below its base that is not a real
 * directory yet is an explicit entry, 0755, of the file's owner — missing, or a symbolic link
 * or file the engine then replaces by a directory instead of following it; a real directory
 * the image has (~/.gnupg 0700) is left out, so its owner and mode stay. A missing base is made
 * (a missing HOME the user's; directories above it, and system ones, root's). Skipped, with the
 * reason: a file whose base could not be looked up or lies in a mount, a file at, under or above
 * a mount, and a file that clashes with one planned before it (the same path, or a directory
 * of it).
 */
export function planDotfiles(input: DotfilePlanInput): DotfilePlan {
  const skipped: { path: string; reason: string }[] = [];
  const skip = (path: string, reason: string) =>
    skipped.push({ path, reason: plainReason(reason) });
  const placed: Placed[] = [];
  const bases = new Map<string, { dir: ResolvedDir; owner: { uid: number; gid: number } }>();
  const system = input.files.filter((file) => file.path.startsWith('/'));
  const home = input.files.filter((file) => !file.path.startsWith('/'));
  for (const file of [...system, ...home]) {
    const isSystem = file.path.startsWith('/');
    const { key, resolution, relative } = targetOf(file, input);
    if (resolution === undefined || !resolution.ok) {
      skip(file.path, resolution?.reason ?? 'its directory was not looked up');
      continue;
    }
    const realBase = realOf(resolution.dir);
    const inMount = baseProblem(
      isSystem ? 'its directory' : 'the home directory',
      realBase,
      input.mounts,
    );
    if (inMount !== undefined) {
      skip(file.path, inMount);
      continue;
    }
    const real = posix.join(realBase, relative);
    const problem = mountProblem(real, input.mounts) ?? clash(real, placed);
    if (problem !== undefined) {
      skip(file.path, problem);
      continue;
    }
    bases.set(key, { dir: resolution.dir, owner: isSystem ? ROOT : input.user });
    placed.push({ file, real, base: key });
  }
  const puts = [...bases.entries()].map(([key, { dir, owner }]) =>
    put(
      dir,
      owner,
      placed.filter((p) => p.base === key),
      input.directories,
    ),
  );
  return { puts, written: placed.length, skipped };
}

/** Why a file at `real` clashes with a file planned before it; undefined when it does not. */
function clash(real: string, placed: readonly Placed[]): string | undefined {
  for (const other of placed) {
    const shown = displayDotfilePath(other.file.path);
    if (other.real === real) return `it is the same file as ${shown}`;
    if (within(real, other.real)) return `${shown} is a dotfile, not a directory`;
    if (within(other.real, real)) return `it would replace the directory holding ${shown}`;
  }
  return undefined;
}

/**
 * The archive entries of one base, extracted at its existing part: the missing chain (the base
 * itself `owner`'s, the directories above it root's), then each file after the directories it
 * needs that are not real directories yet (`directories` says which are; below one that is
 * made, none is), all `owner`'s.
 */
function put(
  dir: ResolvedDir,
  owner: { readonly uid: number; readonly gid: number },
  files: readonly Placed[],
  directories: ReadonlySet<string>,
): DotfilePut {
  const entries: ArchiveEntry[] = [];
  /** Names of the directories this archive makes. */
  const made = new Set<string>();
  const directory = (name: string, who: { uid: number; gid: number }) => {
    made.add(name);
    entries.push({ type: 'directory', name, ...who, mode: DOTFILE_DIR_MODE });
  };
  dir.missing.forEach((_, index) =>
    directory(
      dir.missing.slice(0, index + 1).join('/'),
      index === dir.missing.length - 1 ? owner : ROOT,
    ),
  );
  for (const { file, real } of files) {
    const name = posix.relative(dir.existing, real);
    const parts = name.split('/');
    // Under a directory the archive makes, nothing of the image's is left to keep.
    let fresh = dir.missing.length > 0;
    for (let depth = dir.missing.length + 1; depth < parts.length; depth += 1) {
      const parent = parts.slice(0, depth).join('/');
      if (made.has(parent)) fresh = true;
      else if (fresh || !directories.has(posix.join(dir.existing, parent))) {
        directory(parent, owner);
        fresh = true;
      }
    }
    entries.push({
      type: 'file',
      name,
      ...owner,
      mode: Number.parseInt(file.mode, 8),
      content: file.content ?? '',
    });
  }
  return { path: dir.existing, entries };
}
