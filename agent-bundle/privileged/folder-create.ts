import { randomBytes } from 'node:crypto';
import type { MethodParams, MethodResult } from '../../common/agent/agent-contract';
import type { PrivilegedHelperContract } from '../../common/agent/privileged-helper-contract';
import { folderDirectory, type FolderRecord } from '../../common/folders/folder-store';
import { ROOT_UID } from './caller';
import { findVolume } from './confined-folder';
import {
  ensureFoldersRoot,
  makeFolderDirectory,
  removeFolderDirectory,
  restoreGroupMode,
} from './folder-directory';
import { applyFolderLimit } from './folder-limit';
import { isDotFolder } from '../../common/folder-names';
import {
  freshId,
  requireFolderRoom,
  requireNameFree,
  requireNameFreeForOthers,
  withFolder,
} from './folder-records';
import { changeFolderStore } from './folder-store-file';
import { callerUser, groupGid, othersWhoSee } from './folder-users';
import type { HelperContext } from './helper-context';
import { requireConfig } from './helper-config';
import { refuse } from './privileged-refusal';
import { assignProject, removeProjectEntries } from './project-ops';
import { sweepPurged, SWEEP_START_WITHIN_MS } from './purged-folder';
import { limitProject } from './quota-ops';

type CreateParams = MethodParams<PrivilegedHelperContract, 'privileged.folder.create'>;
type FolderOutcome = MethodResult<PrivilegedHelperContract, 'privileged.folder.create'>;

/** A new folder's or invitation's id: 8 random bytes in hex. */
export function randomId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * `privileged.folder.create`: first sweeps leftovers of crashed purges on the volume (outside
 * the lock); then, under the store's lock — the name checked free among what the
 * caller sees — makes `VOLUME/labdeck-folders/ID` (the caller's, 0700; a group folder
 * `caller:GROUP` 2770 with a default group ACL, for a member of GROUP), gives it an XFS project
 * on an XFS volume and its limit on an `xfs-prjquota` one, and records it. Any step failing
 * undoes the ones before: the directory, the project entries and the limit go, no record is
 * written.
 */
export async function createFolder(
  context: HelperContext,
  params: CreateParams,
): Promise<FolderOutcome> {
  const config = requireConfig(context.config);
  const volume = findVolume(config, params.volume);
  const caller = await callerUser(context.callerUid);
  let gid = caller.gid;
  if (params.group !== null) {
    if (isDotFolder(params.name))
      throw refuse(
        'folder-not-shareable',
        `name: "${params.name}" is a dot-folder name, and dot-folders are private to their owner, so a group folder cannot have it.`,
        'Pick a name without a leading ".".',
      );
    if (context.callerUid !== ROOT_UID && !caller.viewer.groups.has(params.group))
      throw refuse(
        'folder-group-not-member',
        `group: you (${caller.name}) are not in the group ${params.group}, so you cannot make a folder for it.`,
        'Pick a group you are in (id -Gn lists them).',
      );
    gid = await groupGid(params.group);
  }
  // Leftovers of purges whose helper died go first, outside the lock (their rm may be slow).
  await sweepPurged(context, volume, Date.now() + SWEEP_START_WITHIN_MS);
  return changeFolderStore(context, async (store) => {
    requireFolderRoom(store, caller.uid);
    requireNameFree(store, caller.viewer, params.name, 'Pick another name.');
    if (params.group !== null)
      requireNameFreeForOthers(
        store,
        await othersWhoSee(store, caller.uid, params.group),
        params.name,
      );
    const volumePath = await ensureFoldersRoot(volume);
    const id = freshId(store, randomId);
    const path = folderDirectory(volumePath, id);
    let projectId: number | null = null;
    let limited = false;
    const undo = async (): Promise<void> => {
      try {
        await removeFolderDirectory(path);
      } finally {
        if (projectId !== null) {
          // A later folder may get this id again: it must not inherit this one's limit.
          if (limited) await limitProject(volumePath, projectId, 0).catch(() => undefined);
          await removeProjectEntries(context, projectId);
        }
      }
    };
    try {
      const group = params.group !== null;
      const folder = await makeFolderDirectory(volume, volumePath, id, {
        uid: caller.uid,
        gid,
        group,
      });
      if (volume.kind !== 'plain') projectId = (await assignProject(context, folder)).projectId;
      if (group) await restoreGroupMode(path);
      limited = volume.kind === 'xfs-prjquota';
      const quota = await applyFolderLimit(volume, path, projectId, params.quotaBytes);
      const record: FolderRecord = {
        id,
        name: params.name,
        volume: volume.name,
        ownerUid: caller.uid,
        owner: caller.name,
        group: params.group,
        cloneable: params.cloneable,
        quotaBytes: params.quotaBytes,
        projectId,
        state: params.state,
        createdAt: new Date().toISOString(),
        trashedAt: null,
      };
      return { store: withFolder(store, record), value: { folder: record, path, quota }, undo };
    } catch (error) {
      await undo().catch(() => undefined);
      throw error;
    }
  });
}
