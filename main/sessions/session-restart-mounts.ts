import type { AgentFolderView } from '../../common/folders/folder-view';
import { AppFailure } from '../../common/contract/result';
import type { Host } from '../hosts/host';
import { valueOf } from './host-devices';
import type { SessionMountLabel } from './session-labels';

/** A stopped session about to start again, as the check names it. */
export interface RestartingSession {
  readonly name: string;
  readonly mounts: readonly SessionMountLabel[];
}

/**
 * Why the folder a stopped session mounts cannot be bound again, or undefined when it can: it
 * must still be visible to the user under the name the label records, be the same folder (its
 * id), and be ready. Docker would otherwise bind a trashed folder, re-create a purged one's
 * directory empty and root-owned, or keep binding a folder the user has left.
 */
export function staleMount(
  mount: SessionMountLabel,
  folders: readonly Pick<AgentFolderView, 'id' | 'name' | 'state'>[],
): string | undefined {
  const now = folders.find((folder) => folder.name === mount.name);
  if (now === undefined) {
    const renamed = folders.find((folder) => folder.id === mount.folderId);
    return renamed === undefined
      ? 'is gone (deleted, or no longer shared with you)'
      : `is called "${renamed.name}" now`;
  }
  if (now.id !== mount.folderId) return 'is another folder now (the one it mounted is gone)';
  if (now.state === 'trashed') return 'is in the trash';
  if (now.state === 'cloning') return 'is being cloned into';
  return undefined;
}

/** The refusal for a session whose folder `mount` cannot be bound again: what is wrong, the fix. */
export function folderNotReadyFailure(
  session: RestartingSession,
  mount: SessionMountLabel,
  why: string,
  hostName: string,
): AppFailure {
  const removeHint = `remove the session and start anew: labdeck session rm ${session.name}`;
  return new AppFailure({
    code: 'folder-not-ready',
    message: `Session ${session.name} cannot start again: folder "${mount.name}" it mounts ${why}.`,
    hint:
      why === 'is in the trash'
        ? `Restore it (labdeck folder restore ${hostName} ${mount.name}), or ${removeHint}`
        : `Put it back, or ${removeHint}`,
  });
}

/**
 * Before a stopped session's container starts again with the binds it was created with: asks
 * the host's agent (`folders.list`) whether every folder its mounts label names is still the
 * user's, the same and ready, and refuses with `folder-not-ready` naming the first that is not.
 * An agent that cannot answer refuses too: the binds would go unchecked.
 */
export async function checkRestartMounts(
  host: Host,
  hostName: string,
  session: RestartingSession,
): Promise<void> {
  if (session.mounts.length === 0) return;
  const agent = await host.agent();
  const { folders } = valueOf(await agent.call('folders.list', {}));
  for (const mount of session.mounts) {
    const why = staleMount(mount, folders);
    if (why !== undefined) throw folderNotReadyFailure(session, mount, why, hostName);
  }
}
