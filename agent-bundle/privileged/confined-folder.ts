import { lstat, realpath, stat } from 'node:fs/promises';
import type { LabConfig, Volume } from '../../common/host-setup/lab-config';
import type { FolderRef } from '../../common/host-setup/privileged-ops';
import { FOLDERS_DIR_NAME } from '../../common/folders/folder-store';
import { refuse } from './privileged-refusal';

/** A folder the helper may act on, checked to lie inside its volume. */
export interface ConfinedFolder {
  readonly volume: Volume;
  /** The volume directory's real path. */
  readonly volumePath: string;
  /** The folder's real path (symlinks above it resolved), inside {@link volumePath}. */
  readonly path: string;
  /** The folder's owner and group. */
  readonly ownerUid: number;
  readonly ownerGid: number;
}

/** The configured volume called `name`, or a refusal listing the ones there are. */
export function findVolume(config: LabConfig, name: string): Volume {
  const volume = config.volumes.find((known) => known.name === name);
  if (volume !== undefined) return volume;
  const names = config.volumes.map((known) => `"${known.name}"`).join(', ') || 'none';
  throw refuse(
    'privileged-unknown-volume',
    `volume: "${name}" is not a storage volume of this host (configured: ${names}).`,
    'Ask an admin to add it: labdeck host setup HOST --volume NAME=PATH.',
  );
}

function isInside(path: string, dir: string): boolean {
  return path.startsWith(dir === '/' ? '/' : `${dir}/`);
}

/**
 * Resolves `ref` to a real directory inside its volume, or refuses: the volume must be
 * configured and exist; the folder's real path (every symlink resolved) must be inside the
 * volume's real path; and the folder itself must be a directory, not a symlink — so a link
 * pointing out of the volume, or at another folder, is never followed.
 *
 * Security: the folder path was already parsed (no `..`, no empty or absolute part), so only
 * symlinks could lead out; the real path is what the tools are given afterwards.
 */
export async function confineFolder(config: LabConfig, ref: FolderRef): Promise<ConfinedFolder> {
  const volume = findVolume(config, ref.volume);
  let volumePath: string;
  try {
    volumePath = await realpath(volume.path);
    if (!(await stat(volumePath)).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    throw refuse(
      'privileged-volume-missing',
      `volume: "${volume.name}" is configured at ${volume.path}, which is not a directory on this host (${(error as Error).message}).`,
      'Ask an admin to mount it, or to run labdeck host setup HOST again.',
    );
  }
  const named = `${volumePath}/${ref.folder}`;
  const where = `folder: "${ref.folder}" in volume "${volume.name}"`;
  let info;
  try {
    info = await lstat(named);
  } catch {
    throw refuse('privileged-folder-missing', `${where} does not exist.`);
  }
  if (info.isSymbolicLink())
    throw refuse(
      'privileged-folder-symlink',
      `${where} is a symbolic link; the helper acts only on real directories inside the volume.`,
    );
  if (!info.isDirectory())
    throw refuse('privileged-folder-not-directory', `${where} is not a directory.`);
  const path = await realpath(named);
  if (!isInside(path, volumePath) || path === volumePath)
    throw refuse(
      'privileged-folder-outside-volume',
      `${where} leads to ${path}, outside the volume's directory ${volumePath} (through a symbolic link).`,
    );
  return { volume, volumePath, path, ownerUid: info.uid, ownerGid: info.gid };
}

/** Refuses unless `caller` owns the folder or is root; `what` names the operation. */
export function requireOwner(folder: ConfinedFolder, caller: number, what: string): void {
  if (caller === 0 || folder.ownerUid === caller) return;
  throw refuse(
    'privileged-not-owner',
    `Only the folder's owner may ${what}: ${folder.path} belongs to uid ${folder.ownerUid}, not to you (uid ${caller}).`,
    "Ask the folder's owner.",
  );
}

/**
 * Refuses the older path-named operations (project.*, quota.set, acl.*) on LabDeck's own folders
 * (`VOLUME/labdeck-folders/…`, by real path): those are changed only through privileged.folder.*,
 * which keep folders.json, /etc/projects and the grants in step — a project released by path
 * would free an id the record still names, for someone else's folder to get.
 */
export function requireUnmanaged(folder: ConfinedFolder): void {
  const managed = `${folder.volumePath}/${FOLDERS_DIR_NAME}`;
  if (folder.path !== managed && !isInside(folder.path, managed)) return;
  throw refuse(
    'folder-managed',
    `folder: ${folder.path} is one of LabDeck's folders; it is changed only through LabDeck's folder operations, so its project, limit and grants stay in step with its record.`,
    'Use labdeck folder … (quota, invite, leave, rm, purge) instead.',
  );
}
