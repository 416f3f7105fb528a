import { lstat, readdir } from 'node:fs/promises';
import type { ConfinedFolder } from './confined-folder';
import { findTool, runTool } from './system-tools';
import { toolFailed, toolFailure } from './tool-failure';

/** Paths per xfs_io run: few enough for argv and open files, many enough to be quick. */
const PATHS_PER_RUN = 200;

/** What setting a project over a folder's tree did. */
export interface ProjectTreeResult {
  /** Directories and files that got the project. */
  readonly changed: number;
  /** Those left as they were because another user owns them (a grantee's files). */
  readonly skipped: number;
}

/**
 * The folder's directories and regular files on its own filesystem, split into the owner's and
 * the others'. lstat only: a symlink is never followed, FIFOs and devices are never opened.
 */
async function walk(folder: ConfinedFolder): Promise<{ own: string[]; others: number }> {
  const root = await lstat(folder.path);
  const own: string[] = [];
  let others = 0;
  const pending = [folder.path];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    const info = await lstat(dir);
    if (info.uid === folder.ownerUid) own.push(dir);
    else others += 1;
    for (const name of await readdir(dir)) {
      const path = `${dir}/${name}`;
      const entry = await lstat(path);
      if (entry.dev !== root.dev) continue;
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile()) {
        if (entry.uid === folder.ownerUid) own.push(path);
        else others += 1;
      }
    }
  }
  return { own, others };
}

/**
 * Sets XFS project `id` on the folder's tree and (inherit) marks its directories so what is
 * created later inherits it, or (not inherit) clears the mark. xfs_io runs as the folder's owner
 * (setpriv), so the kernel itself refuses any inode that is not theirs: a symlink, or a directory
 * swapped for one while the tree is walked, can never carry the change out of the folder.
 */
export async function setProjectTree(
  folder: ConfinedFolder,
  id: number,
  inherit: boolean,
): Promise<ProjectTreeResult> {
  const xfsIo = await findTool('xfs_io');
  const { own, others } = await walk(folder);
  const commands = ['-c', `chproj ${id}`, '-c', `chattr ${inherit ? '+' : '-'}P`];
  for (let at = 0; at < own.length; at += PATHS_PER_RUN) {
    const paths = own.slice(at, at + PATHS_PER_RUN);
    const run = await runTool('setpriv', [
      `--reuid=${folder.ownerUid}`,
      `--regid=${folder.ownerGid}`,
      '--clear-groups',
      '--',
      xfsIo ?? 'xfs_io',
      '-r',
      ...commands,
      '--',
      ...paths,
    ]);
    if (toolFailed(run))
      throw toolFailure(
        'xfs-project-failed',
        `set XFS project ${id} on ${folder.path}`,
        'xfs_io',
        run,
      );
  }
  return { changed: own.length, skipped: others };
}
