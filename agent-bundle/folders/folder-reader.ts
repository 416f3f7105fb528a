import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';
import { AppFailure } from '../../common/contract/result';
import { describeIssues } from '../../common/contract/validation';
import {
  emptyFolderStore,
  folderStoreSchema,
  type FolderStore,
  type FolderViewer,
} from '../../common/folders/folder-store';
import { labConfigSchema, type Volume } from '../../common/host-setup/lab-config';
import type { SystemPaths } from '../../common/host-setup/system-paths';

const run = promisify(execFile);
/** By absolute path: the agent never runs what a user's PATH happens to name first. */
export const ID_PATH = '/usr/bin/id';

/** What every folder method starts from: who asks, the folders and the volumes, read now. */
export interface FolderContext {
  readonly paths: SystemPaths;
  readonly user: string;
  readonly viewer: FolderViewer;
  readonly store: FolderStore;
  readonly volumes: readonly Volume[];
}

/** Parses one JSON file, naming it when it is damaged; undefined when it is not there. */
async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppFailure({
      code: 'folders-unreadable',
      message: `${path} cannot be read (${(error as NodeJS.ErrnoException).code}).`,
      hint: 'Run labdeck host setup HOST again, or ask an admin to check its mode (0644).',
    });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppFailure({
      code: 'folders-store-invalid',
      message: `${path} is not JSON.`,
      hint: 'Ask an admin to restore it; LabDeck changes nothing rather than guess.',
    });
  }
}

/** `/var/lib/labdeck/folders.json`, or an empty store on a host with no folder yet. */
export async function readFolderStore(paths: SystemPaths): Promise<FolderStore> {
  const json = await readJson(paths.foldersFile);
  if (json === undefined) return emptyFolderStore();
  const parsed = folderStoreSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new AppFailure({
    code: 'folders-store-invalid',
    message: `${paths.foldersFile}: ${describeIssues(parsed.error)}.`,
    hint: 'It may come from a newer LabDeck: update LabDeck, or ask an admin to restore it.',
  });
}

/** The storage volumes the host's configuration declares (none when it has none yet). */
export async function readVolumes(paths: SystemPaths): Promise<Volume[]> {
  const json = await readJson(paths.configFile);
  if (json === undefined) return [];
  const parsed = labConfigSchema.safeParse(json);
  if (parsed.success) return parsed.data.volumes;
  throw new AppFailure({
    code: 'setup-config-invalid',
    message: `${paths.configFile}: ${describeIssues(parsed.error)}.`,
    hint: 'Run labdeck host setup HOST again.',
  });
}

/**
 * The group names `id -Gnz` printed, in its order (the primary first). NUL-separated, because a
 * group from a directory service may have spaces in its name (`domain users`).
 */
export function groupNamesOf(idOutput: string): string[] {
  return idOutput.split('\0').filter(Boolean);
}

/**
 * What `id -Gn ARGS…` says, NUL-separated where `id` can (`-z`, GNU coreutils); BSD's `id`
 * (macOS, for This computer) has no `-z`, so an empty failure is asked again without it and
 * split on whitespace. GNU `id` prints the names and exits 1 for a group without a name: kept.
 */
async function idGroupNames(args: readonly string[]): Promise<string[]> {
  const output = (flags: string) =>
    run(ID_PATH, [flags, ...args]).then(
      (done) => done.stdout,
      (error: { stdout?: string }) => error.stdout ?? '',
    );
  const separated = await output('-Gnz');
  if (separated !== '') return groupNamesOf(separated);
  return (await output('-Gn')).split(/\s+/).filter(Boolean);
}

/** The names of this process's groups (`id -Gnz`): those its file accesses run with. */
export async function processGroups(): Promise<Set<string>> {
  return new Set(await idGroupNames([]));
}

/**
 * The groups the user database lists for `user` now (`id -Gnz -- USER`), the primary first; a
 * group without a name is its number; empty when id fails outright.
 */
export async function databaseGroups(user: string): Promise<Set<string>> {
  return new Set(await idGroupNames(['--', user]));
}

/** Reads who asks, the store and the volumes, all at once. */
export async function loadFolderContext(paths: SystemPaths): Promise<FolderContext> {
  const [groups, store, volumes] = await Promise.all([
    processGroups(),
    readFolderStore(paths),
    readVolumes(paths),
  ]);
  return {
    paths,
    user: userInfo().username,
    viewer: { uid: process.getuid?.() ?? -1, groups },
    store,
    volumes,
  };
}
