import type { Stats } from 'node:fs';
import { chmod, chown, lstat, mkdir, realpath, stat } from 'node:fs/promises';
import type { LabConfig, Volume } from '../../common/host-setup/lab-config';
import {
  FOLDERS_DIR_NAME,
  folderDirectory,
  type FolderRecord,
} from '../../common/folders/folder-store';
import { ROOT_UID } from './caller';
import { confineFolder, type ConfinedFolder } from './confined-folder';
import { runAsOwner } from './owner-tree';
import { refuse } from './privileged-refusal';
import { runTool } from './system-tools';
import { toolFailure } from './tool-failure';
import { GROUP_OR_OTHER_WRITABLE } from './trusted-path';

/** `VOLUME/labdeck-folders`: root's; users may pass through it to their folder, not list it. */
const FOLDERS_ROOT_MODE = 0o711;
/** A user's own folder: theirs alone (others get in only through an ACL grant). */
const OWN_FOLDER_MODE = 0o700;
/** A group folder: its group reads and writes, and what is made inside keeps the group. */
const GROUP_FOLDER_MODE = 0o2770;
/** The sticky bit: only an entry's owner may rename or remove it. */
const STICKY = 0o1000;

/** The volume's real directory, or a refusal saying it is not there. */
export async function volumeRealPath(volume: Volume): Promise<string> {
  try {
    const path = await realpath(volume.path);
    if (!(await stat(path)).isDirectory()) throw new Error('not a directory');
    return path;
  } catch (error) {
    throw refuse(
      'privileged-volume-missing',
      `volume: "${volume.name}" is configured at ${volume.path}, which is not a directory on this host (${(error as Error).message}).`,
      'Ask an admin to mount it, or to run labdeck host setup HOST again.',
    );
  }
}

/**
 * Why the helper may not make folders in a volume directory with `info`, or undefined when it
 * may: it must be root's, and one that group or others may write to needs the sticky bit —
 * else someone could swap `labdeck-folders` for a link while root makes and chowns folders in it.
 */
export function foldersVolumeProblem(info: Stats): string | undefined {
  if (info.uid !== ROOT_UID) return `belongs to uid ${info.uid}, not root`;
  if ((info.mode & GROUP_OR_OTHER_WRITABLE) !== 0 && (info.mode & STICKY) === 0)
    return `others may write to (mode ${(info.mode & 0o7777).toString(8)})`;
  return undefined;
}

/** Why an existing `VOLUME/labdeck-folders` with `info` cannot hold folders, or undefined. */
export function foldersDirProblem(info: Stats): string | undefined {
  if (!info.isDirectory()) return 'is not a directory';
  if (info.uid !== ROOT_UID) return `belongs to uid ${info.uid}, not root`;
  if ((info.mode & GROUP_OR_OTHER_WRITABLE) !== 0)
    return `is writable by group or others (mode ${(info.mode & 0o7777).toString(8)})`;
  return undefined;
}

/** Gives `dir` (`VOLUME/labdeck-folders`, just made 0700) to root with its mode, 0711. */
export async function setFoldersDirOwner(dir: string): Promise<void> {
  await chown(dir, ROOT_UID, ROOT_UID);
  await chmod(dir, FOLDERS_ROOT_MODE);
}

/**
 * Makes `VOLUME/labdeck-folders` (root's, 0711) if missing and returns the volume's real path.
 * One that exists but is not a directory, is not root's, or group or others may write to, is
 * refused, as is a volume directory not root's or writable by others without the sticky bit
 * (see {@link foldersVolumeProblem}). Host setup makes it beforehand, so nobody can squat it.
 */
export async function ensureFoldersRoot(volume: Volume): Promise<string> {
  const volumePath = await volumeRealPath(volume);
  const untrusted = foldersVolumeProblem(await stat(volumePath));
  if (untrusted !== undefined)
    throw refuse(
      'folders-volume-untrusted',
      `volume: "${volume.name}" is at ${volumePath}, which ${untrusted}; LabDeck makes folders only in a volume directory that only root (or, with the sticky bit, each owner) may change.`,
      `An admin can fix it: chown root ${volumePath}; chmod o-w,g-w ${volumePath} (or chmod +t).`,
    );
  const dir = `${volumePath}/${FOLDERS_DIR_NAME}`;
  const info = await lstat(dir).catch(() => undefined);
  if (info === undefined) {
    await mkdir(dir, { mode: 0o700 });
    await setFoldersDirOwner(dir);
    return volumePath;
  }
  const why = foldersDirProblem(info);
  if (why === undefined) return volumePath;
  throw refuse(
    'folders-dir-untrusted',
    `volume: "${volume.name}" has ${dir}, which ${why}; LabDeck keeps folders only in a directory of root's that nobody else can write.`,
    `An admin can move it aside (or fix it: chown root:root ${dir}; chmod 711 ${dir}) and try again.`,
  );
}

/**
 * Makes folder `id`'s directory (not recursive: an existing one is an error) for `uid`: 0700,
 * or for a group folder `uid:gid` 2770 with a default ACL `group::rwx`, so what members make
 * inside stays writable by the group whatever their umask.
 */
export async function makeFolderDirectory(
  volume: Volume,
  volumePath: string,
  id: string,
  owner: { readonly uid: number; readonly gid: number; readonly group: boolean },
): Promise<ConfinedFolder> {
  const path = folderDirectory(volumePath, id);
  await mkdir(path, { mode: 0o700 });
  await chown(path, owner.uid, owner.gid);
  await chmod(path, owner.group ? GROUP_FOLDER_MODE : OWN_FOLDER_MODE);
  const folder = { volume, volumePath, path, ownerUid: owner.uid, ownerGid: owner.gid };
  if (owner.group) {
    const failed = await runAsOwner(folder, 'setfacl', ['-m', 'd:g::rwx'], [path]);
    if (failed !== undefined)
      throw toolFailure(
        'acl-failed',
        `give the group folder ${path} its default ACL`,
        'setfacl',
        failed,
      );
  }
  return folder;
}

/**
 * Sets a group folder's mode again (2770), as root: giving it its XFS project, done as its owner,
 * clears the set-group-ID bit (XFS drops it on an attribute change without CAP_FSETID).
 */
export async function restoreGroupMode(path: string): Promise<void> {
  await chmod(path, GROUP_FOLDER_MODE);
}

/**
 * A recorded folder's directory, confined to its volume as every other folder operation's, and
 * refused unless it is still what the record says: on the same filesystem as `labdeck-folders`
 * (not a mount point — a FUSE mount could report any owner) and owned by the record's owner
 * (`folder-owner-changed`). The helper runs setfacl and xfs_io as the directory's owner, so an
 * owner taken from anything else than the record could be root.
 */
export async function recordedDirectory(
  config: LabConfig,
  record: FolderRecord,
): Promise<ConfinedFolder> {
  const folder = await confineFolder(config, {
    volume: record.volume,
    folder: `${FOLDERS_DIR_NAME}/${record.id}`,
  });
  const [own, parent] = await Promise.all([
    lstat(folder.path),
    lstat(`${folder.volumePath}/${FOLDERS_DIR_NAME}`),
  ]);
  if (own.dev !== parent.dev)
    throw refuse(
      'folder-mount-point',
      `Folder "${record.name}" (${folder.path}) is a mount point: another filesystem is mounted over it, so the helper does not act on it.`,
      `An admin can unmount it: umount ${folder.path}`,
    );
  if (folder.ownerUid !== record.ownerUid)
    throw refuse(
      'folder-owner-changed',
      `Folder "${record.name}" (${folder.path}) belongs to uid ${folder.ownerUid}, but its record says ${record.owner} (uid ${record.ownerUid}); the helper does not act on it.`,
      `An admin can give it back: chown ${record.ownerUid} ${folder.path}`,
    );
  return folder;
}

/**
 * Removes a folder's directory and everything in it, as root: `rm -rf --one-file-system`, which
 * follows no symlink and enters no other filesystem mounted inside.
 */
export async function removeFolderDirectory(path: string): Promise<void> {
  const run = await runTool('rm', ['-rf', '--one-file-system', '--', path]);
  if (run.code !== 0) throw toolFailure('folder-remove-failed', `remove ${path}`, 'rm', run);
}
