import type { FolderView } from '../../../../common/contract/folders';
import { isDotFolder } from '../../../../common/folder-names';
import type { SessionMountChoice } from './session-form';

/**
 * The folders a session form offers to mount: ready ones the user can reach, by name, without
 * dot-folders (those are mounted into every session by themselves).
 */
export function mountableFolders(folders: readonly FolderView[]): readonly FolderView[] {
  return folders
    .filter((f) => f.state === 'ready' && !isDotFolder(f.name))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The mounts with `folder` chosen (read-only as asked, always for a read-only grant) or left
 * out; the others keep their place.
 */
export function toggleMount(
  mounts: readonly SessionMountChoice[],
  folder: Pick<FolderView, 'name' | 'permission'>,
  on: boolean,
  readOnly: boolean,
): readonly SessionMountChoice[] {
  const others = mounts.filter((m) => m.name !== folder.name);
  if (!on) return others;
  const choice = { name: folder.name, readOnly: readOnly || folder.permission === 'ro' };
  const index = mounts.findIndex((m) => m.name === folder.name);
  return index === -1 ? [...others, choice] : mounts.map((m, i) => (i === index ? choice : m));
}
