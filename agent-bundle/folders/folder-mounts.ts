import { isDotFolder } from '../../common/folder-names';
import {
  ambiguousFolderName,
  lookupVisible,
  visibleFolders,
  type FolderStore,
  type FolderViewer,
  type VisibleFolder,
} from '../../common/folders/folder-store';
import { SESSION_FOLDERS_DIR, type FolderMount } from '../../common/folders/folder-view';
import { AppFailure } from '../../common/contract/result';
import type { Volume } from '../../common/host-setup/lab-config';
import { folderPath } from './folder-views';

/** One folder a session asks for. */
export interface MountRequest {
  readonly name: string;
  readonly readOnly: boolean;
}

function mountOf(visible: VisibleFolder, volumes: readonly Volume[], readOnly: boolean) {
  const path = folderPath(visible.folder, volumes);
  if (path === '')
    throw new AppFailure({
      code: 'folder-volume-missing',
      message: `Folder "${visible.name}" is on volume "${visible.folder.volume}", which this host's configuration no longer declares.`,
      hint: 'Ask an admin to declare it again: labdeck host setup HOST --volume NAME=PATH',
    });
  return {
    name: visible.name,
    id: visible.folder.id,
    path,
    target: `${SESSION_FOLDERS_DIR}/${visible.name}`,
    // A grant of ro is read-only whatever the form asked: the ACL would refuse writes anyway.
    readOnly: readOnly || visible.permission === 'ro',
  } satisfies FolderMount;
}

/**
 * The mounts of a session: each folder asked for, by the name the user knows it by, checked to
 * be ready, then every ready dot-folder the user owns (`.local`, as Backend.AI mounts them into
 * every session), none twice. Refuses, naming the folder, one that is unknown, trashed or still
 * being cloned (`filling` says whether a clone of this agent still fills a folder), and a name
 * asked for twice.
 */
export function resolveMounts(
  store: FolderStore,
  viewer: FolderViewer,
  volumes: readonly Volume[],
  requests: readonly MountRequest[],
  filling: (id: string) => boolean = () => true,
): FolderMount[] {
  const mounts: FolderMount[] = [];
  for (const request of requests) {
    if (mounts.some((mount) => mount.name === request.name))
      throw new AppFailure({
        code: 'folder-mounted-twice',
        message: `Folder "${request.name}" is asked for twice.`,
        hint: 'Mount each folder once.',
      });
    const found = lookupVisible(store, viewer, request.name);
    if (found.kind === 'ambiguous')
      throw new AppFailure(ambiguousFolderName(request.name, found.matches));
    const visible = found.kind === 'found' ? found.visible : undefined;
    if (visible === undefined)
      throw new AppFailure({
        code: 'folder-not-found',
        message: `You have no folder "${request.name}" on this host.`,
        hint: 'labdeck folder ls HOST lists yours.',
      });
    if (visible.folder.state !== 'ready')
      throw new AppFailure({
        code: 'folder-not-ready',
        message: `Folder "${request.name}" cannot be mounted: it is ${visible.folder.state === 'trashed' ? 'in the trash' : 'still being cloned'}.`,
        hint:
          visible.folder.state === 'trashed'
            ? `Restore it first: labdeck folder restore HOST ${request.name}`
            : filling(visible.folder.id)
              ? `Wait for the clone to finish, or stop it: labdeck folder clone-cancel HOST ${request.name}`
              : `no clone is filling it any more: labdeck folder purge HOST ${request.name} removes it`,
      });
    mounts.push(mountOf(visible, volumes, request.readOnly));
  }
  for (const visible of visibleFolders(store, viewer)) {
    if (visible.via !== 'own' || !isDotFolder(visible.name) || visible.folder.state !== 'ready')
      continue;
    // One on a volume no longer declared is left out rather than failing every session.
    if (mounts.some((mount) => mount.id === visible.folder.id)) continue;
    if (folderPath(visible.folder, volumes) === '') continue;
    mounts.push(mountOf(visible, volumes, false));
  }
  return mounts;
}
