import { rename } from 'node:fs/promises';
import type { MethodResult } from '../../common/agent/agent-contract';
import type { PrivilegedHelperContract } from '../../common/agent/privileged-helper-contract';
import { folderDirectory, type FolderStore } from '../../common/folders/folder-store';
import { findVolume } from './confined-folder';
import { recordedDirectory, volumeRealPath } from './folder-directory';
import { ownedFolder, withoutFolder } from './folder-records';
import { changeFolderStore, checkBeforeLocking } from './folder-store-file';
import type { HelperContext } from './helper-context';
import { requireConfig } from './helper-config';
import { PrivilegedRefusal, refuse } from './privileged-refusal';
import { projectStillNamed } from './project-ops';
import { movePurgedAside, removePurged, sweepPurged, SWEEP_START_WITHIN_MS } from './purged-folder';
import { limitProject } from './quota-ops';

type PurgeOutcome = MethodResult<PrivilegedHelperContract, 'privileged.folder.purge'>;

/** What the locked step of a purge leaves for after the lock: the answer and what to remove. */
interface LockedPurge {
  readonly outcome: PurgeOutcome;
  readonly volume: string;
  readonly volumePath: string;
  /** Where the files were moved for removal; undefined when the directory was already gone. */
  readonly aside: string | undefined;
}

/**
 * `privileged.folder.purge`: owner; only a trashed folder, or one still `cloning` (a clone that
 * failed or was cancelled). Under the store's lock, quick steps only: the limit cleared, the
 * directory renamed aside (`.purge-…`, see purged-folder.ts), the record and its invitations
 * dropped — so a big folder holds up nobody else's folder change. Then, without the lock, the
 * files are removed as root (`rm -rf --one-file-system`) and the project's lines once they are
 * gone, and leftovers of earlier purges are swept. If the record cannot be written the directory
 * is moved back, so purge can run again; a removal that fails after that leaves a leftover for
 * the next purge or create on the volume, not an error (the folder is gone for its users).
 */
export async function purgeFolder(context: HelperContext, id: string): Promise<PurgeOutcome> {
  const config = requireConfig(context.config);
  const began = Date.now();
  await checkBeforeLocking(context, (store) =>
    ownedFolder(store, id, context.callerUid, 'delete it'),
  );
  const locked = await changeFolderStore<LockedPurge>(context, async (store: FolderStore) => {
    const folder = ownedFolder(store, id, context.callerUid, 'delete it');
    if (folder.state === 'ready')
      throw refuse(
        'folder-not-trashed',
        `Folder "${folder.name}" is not in the trash; only a trashed folder can be deleted for good.`,
        `Move it to the trash first: labdeck folder rm HOST ${folder.name}`,
      );
    const directory = await recordedDirectory(config, folder).catch((error: unknown) => {
      // Already gone (an admin removed it): the records still go.
      if (error instanceof PrivilegedRefusal && error.code === 'privileged-folder-missing')
        return undefined;
      throw error;
    });
    const volumePath =
      directory?.volumePath ?? (await volumeRealPath(findVolume(config, folder.volume)));
    // A project id /etc/projects no longer gives this folder may be another folder's now: its
    // limit and its lines are left alone; only this folder's files and records go.
    const path = folderDirectory(volumePath, folder.id);
    if (
      directory !== undefined &&
      directory.volume.kind === 'xfs-prjquota' &&
      folder.projectId !== null &&
      (await projectStillNamed(context, path, folder.projectId))
    )
      await limitProject(path, folder.projectId, 0);
    const aside =
      directory === undefined ? undefined : await movePurgedAside(volumePath, folder.id);
    const after = withoutFolder(store, folder.id);
    const outcome = { id: folder.id, invitations: after.invitations };
    const undo = aside === undefined ? undefined : (): Promise<void> => rename(aside, path);
    const value = { outcome, volume: folder.volume, volumePath, aside };
    return { store: after.store, value, undo };
  });
  await removePurged(context, locked.aside, locked.volumePath, id);
  await sweepPurged(context, findVolume(config, locked.volume), began + SWEEP_START_WITHIN_MS);
  return locked.outcome;
}
