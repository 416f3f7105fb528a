import type { ConfinedFolder } from './confined-folder';
import { ownerTree, runAsOwner } from './owner-tree';
import { toolFailure } from './tool-failure';

/**
 * Sets XFS project `id` on the folder's tree and (inherit) marks its directories so what is
 * created later inherits it, or (not inherit) clears the mark; returns how many entries another
 * user owns and were left as they were. Not `xfs_io -c "chproj -R"`: that follows symlinks
 * inside the folder. xfs_io runs as the owner on the paths a no-follow walk found (owner-tree.ts).
 */
export async function setProjectTree(
  folder: ConfinedFolder,
  id: number,
  inherit: boolean,
): Promise<{ readonly skipped: number }> {
  const tree = await ownerTree(folder);
  const commands = ['-r', '-c', `chproj ${id}`, '-c', `chattr ${inherit ? '+' : '-'}P`];
  const failed = await runAsOwner(folder, 'xfs_io', commands, [...tree.dirs, ...tree.files]);
  if (failed !== undefined)
    throw toolFailure(
      'xfs-project-failed',
      `set XFS project ${id} on ${folder.path}`,
      'xfs_io',
      failed,
    );
  return { skipped: tree.skipped };
}
