import type { MethodParams, MethodResult } from '../../common/agent/agent-contract';
import type { PrivilegedHelperContract } from '../../common/agent/privileged-helper-contract';
import type { FolderRecord, FolderState, FolderStore } from '../../common/folders/folder-store';
import type { LabConfig } from '../../common/host-setup/lab-config';
import { isDotFolder } from '../../common/folder-names';
import type { AgentRegistry } from '../rpc/agent-registry';
import { findVolume } from './confined-folder';
import { createFolder } from './folder-create';
import { purgeFolder } from './folder-purge';
import { recordedDirectory } from './folder-directory';
import { applyFolderLimit, volumeQuotaState } from './folder-limit';
import {
  ownedFolder,
  requireNameFree,
  requireNameFreeForOthers,
  withFolder,
  withNamesKept,
} from './folder-records';
import { changeFolderStore, checkBeforeLocking } from './folder-store-file';
import { callerUser, othersWhoSee } from './folder-users';
import type { HelperContext } from './helper-context';
import { requireConfig } from './helper-config';
import { type PrivilegedRefusal, refuse } from './privileged-refusal';
import { projectStillNamed } from './project-ops';
import { limitProject } from './quota-ops';

type FolderOutcome = MethodResult<PrivilegedHelperContract, 'privileged.folder.create'>;
type UpdateParams = MethodParams<PrivilegedHelperContract, 'privileged.folder.update'>;

/** A changed record with its real directory and whether its volume enforces limits. */
async function outcomeOf(config: LabConfig, folder: FolderRecord): Promise<FolderOutcome> {
  const { path } = await recordedDirectory(config, folder);
  return { folder, path, quota: await volumeQuotaState(findVolume(config, folder.volume), path) };
}

/** Whether folder `id` has a pending or accepted invitation. */
function sharedWithOthers(store: FolderStore, id: string): boolean {
  return store.invitations.some(
    (known) => known.folderId === id && (known.state === 'pending' || known.state === 'accepted'),
  );
}

/**
 * `privileged.folder.update`: renames (the new name free among what the owner sees and, for a
 * group folder, its members; grantees keep the old name as their alias), sets the
 * cloneable flag, or a new limit (applied to the project where the volume can hold one; put
 * back as it was if the record cannot be written). Owner.
 */
async function update(context: HelperContext, params: UpdateParams): Promise<FolderOutcome> {
  const config = requireConfig(context.config);
  const caller = params.name === undefined ? undefined : await callerUser(context.callerUid);
  await checkBeforeLocking(context, (store) =>
    ownedFolder(store, params.id, context.callerUid, 'change it'),
  );
  return changeFolderStore(context, async (store) => {
    const before = ownedFolder(store, params.id, context.callerUid, 'change it');
    if (caller !== undefined && params.name !== undefined) {
      requireNameFree(store, caller.viewer, params.name, 'Pick another name.', before.id);
      // Grantees keep the name they know it by (withNamesKept); a group's members see the new one.
      const others = await othersWhoSee(store, caller.uid, before.group);
      requireNameFreeForOthers(store, others, params.name, before.id);
      if (isDotFolder(params.name) && before.group !== null)
        throw refuse(
          'folder-not-shareable',
          `name: "${params.name}" would make the group folder "${before.name}" a dot-folder, and dot-folders are private.`,
          'Pick a name without a leading ".".',
        );
      if (isDotFolder(params.name) && sharedWithOthers(store, before.id))
        throw refuse(
          'folder-not-shareable',
          `name: "${params.name}" would make "${before.name}" a dot-folder, and dot-folders are private, but it is shared.`,
          'Pick a name without a leading ".", or cancel its invitations and let its grantees leave first.',
        );
    }
    const folder: FolderRecord = {
      ...before,
      ...(params.name === undefined ? {} : { name: params.name }),
      ...(params.cloneable === undefined ? {} : { cloneable: params.cloneable }),
      ...(params.quotaBytes === undefined ? {} : { quotaBytes: params.quotaBytes }),
    };
    const outcome = await outcomeOf(config, folder);
    const changed = withNamesKept(withFolder(store, folder), folder.id, before.name, folder.name);
    if (params.quotaBytes === undefined) return { store: changed, value: outcome };
    const volume = findVolume(config, folder.volume);
    if (
      folder.projectId !== null &&
      !(await projectStillNamed(context, outcome.path, folder.projectId))
    )
      throw lostProject(folder, folder.projectId);
    const quota = await applyFolderLimit(volume, outcome.path, folder.projectId, params.quotaBytes);
    const undo = async (): Promise<void> => {
      if (quota.enforced && folder.projectId !== null)
        await limitProject(outcome.path, folder.projectId, before.quotaBytes);
    };
    return { store: changed, value: { ...outcome, quota }, undo };
  });
}

/** Refuses a limit on a folder whose recorded project /etc/projects no longer gives it. */
function lostProject(folder: FolderRecord, projectId: number): PrivilegedRefusal {
  return refuse(
    'folder-project-lost',
    `Folder "${folder.name}" is recorded with XFS project ${projectId}, but /etc/projects no longer gives that project to its directory (it was released, and may be another folder's now), so its limit is not changed.`,
    'Ask an admin to look at /etc/projects; LabDeck does not change a project it cannot tell is this folder’s.',
  );
}

/** Why a folder in state `state` cannot become `verb` (it must be `from`). */
function wrongState(folder: FolderRecord, from: FolderState, verb: string): PrivilegedRefusal {
  const code =
    from === 'trashed'
      ? 'folder-not-trashed'
      : from === 'cloning'
        ? 'folder-not-cloning'
        : `folder-${folder.state}`;
  const now =
    folder.state === 'ready'
      ? 'ready'
      : `${folder.state === 'trashed' ? 'in the trash' : 'still being cloned'}`;
  return refuse(
    code,
    `Folder "${folder.name}" is ${now}, so it cannot be ${verb}.`,
    folder.state === 'cloning' ? 'Wait for the clone to finish, or cancel it.' : undefined,
  );
}

/** A state change `from` → `to` of a folder the caller owns (`verb`: what it becomes). */
async function move(
  context: HelperContext,
  id: string,
  from: FolderState,
  to: FolderState,
  verb: string,
): Promise<FolderOutcome> {
  const config = requireConfig(context.config);
  await checkBeforeLocking(context, (store) =>
    ownedFolder(store, id, context.callerUid, `have it ${verb}`),
  );
  return changeFolderStore(context, async (store) => {
    const before = ownedFolder(store, id, context.callerUid, `have it ${verb}`);
    if (before.state !== from) throw wrongState(before, from, verb);
    const trashedAt = to === 'trashed' ? new Date().toISOString() : null;
    const folder: FolderRecord = { ...before, state: to, trashedAt };
    return { store: withFolder(store, folder), value: await outcomeOf(config, folder) };
  });
}

/** Registers `privileged.folder.create/update/ready/trash/restore/purge`. */
export function registerFolderMethods(
  registry: AgentRegistry<PrivilegedHelperContract>,
  context: HelperContext,
): void {
  registry.handle('privileged.folder.create', (params) => createFolder(context, params));
  registry.handle('privileged.folder.update', (params) => update(context, params));
  registry.handle('privileged.folder.ready', ({ id }) =>
    move(context, id, 'cloning', 'ready', 'marked ready'),
  );
  registry.handle('privileged.folder.trash', ({ id }) =>
    move(context, id, 'ready', 'trashed', 'trashed'),
  );
  registry.handle('privileged.folder.restore', ({ id }) =>
    move(context, id, 'trashed', 'ready', 'restored'),
  );
  registry.handle('privileged.folder.purge', ({ id }) => purgeFolder(context, id));
}
