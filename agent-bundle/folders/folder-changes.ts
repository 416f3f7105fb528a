import { AppFailure } from '../../common/contract/result';
import { nameTaken } from '../../common/folders/folder-store';
import type { AgentFolderView } from '../../common/folders/folder-view';
import type { Volume } from '../../common/host-setup/lab-config';
import {
  callHelper,
  notCloning,
  outcomeView,
  ownedNamed,
  type FolderDeps,
  type FolderParams,
} from './folder-deps';
import type { FolderContext } from './folder-reader';

/** The volume called `name`, else the first one the configuration declares. */
export function pickVolume(volumes: readonly Volume[], name: string | undefined): Volume {
  if (volumes.length === 0)
    throw new AppFailure({
      code: 'folders-no-volume',
      message: 'This host declares no storage volume for folders.',
      hint: 'host setup declares them: labdeck host setup HOST --volume NAME=PATH',
    });
  if (name === undefined) return volumes[0] as Volume;
  const volume = volumes.find((known) => known.name === name);
  if (volume === undefined)
    throw new AppFailure({
      code: 'volume-not-found',
      message: `This host has no volume "${name}"; it has ${volumes.map((known) => `"${known.name}"`).join(', ')}.`,
      hint: 'Pick one of those with --volume.',
    });
  return volume;
}

/** Refuses a name the user already knows a folder by. */
export function nameFree(context: FolderContext, name: string): void {
  if (nameTaken(context.store, context.viewer, name))
    throw new AppFailure({
      code: 'folder-name-taken',
      message: `You already have a folder named "${name}" on this host.`,
      hint: 'Pick another name.',
    });
}

/** `folders.create`: a folder of the user's own (or of a group they are in). */
export async function createFolder(
  deps: FolderDeps,
  context: FolderContext,
  params: FolderParams<'folders.create'>,
): Promise<AgentFolderView> {
  const volume = pickVolume(context.volumes, params.volume);
  nameFree(context, params.name);
  if (params.group !== undefined && !context.viewer.groups.has(params.group))
    throw new AppFailure({
      code: 'folder-group-not-member',
      message: `You are not in the group ${params.group}, so you cannot make a folder for it.`,
      hint: 'Pick a group you are in (id -Gn lists them).',
    });
  const outcome = await callHelper(deps, context, (helper) =>
    helper.call('privileged.folder.create', {
      volume: volume.name,
      name: params.name,
      group: params.group ?? null,
      cloneable: params.cloneable,
      quotaBytes: params.quotaBytes,
    }),
  );
  return outcomeView(deps, outcome, 0);
}

/** `folders.update`: rename, quota, cloneable, of a folder the user owns. */
export async function updateFolder(
  deps: FolderDeps,
  context: FolderContext,
  params: FolderParams<'folders.update'>,
): Promise<AgentFolderView> {
  const visible = ownedNamed(context, params.name, 'change');
  notCloning(deps, visible, 'changed');
  if (params.rename !== undefined && params.rename !== visible.name)
    nameFree(context, params.rename);
  const outcome = await callHelper(deps, context, (helper) =>
    helper.call('privileged.folder.update', {
      id: visible.folder.id,
      ...(params.rename === undefined ? {} : { name: params.rename }),
      ...(params.quotaBytes === undefined ? {} : { quotaBytes: params.quotaBytes }),
      ...(params.cloneable === undefined ? {} : { cloneable: params.cloneable }),
    }),
  );
  return outcomeView(deps, outcome);
}

/** `folders.trash` and `folders.restore`. */
export async function moveFolder(
  deps: FolderDeps,
  context: FolderContext,
  name: string,
  to: 'trash' | 'restore',
): Promise<AgentFolderView> {
  const visible = ownedNamed(context, name, to === 'trash' ? 'trash' : 'restore');
  notCloning(deps, visible, to === 'trash' ? 'trashed' : 'restored');
  const outcome = await callHelper(deps, context, (helper) =>
    helper.call(to === 'trash' ? 'privileged.folder.trash' : 'privileged.folder.restore', {
      id: visible.folder.id,
    }),
  );
  return outcomeView(deps, outcome);
}

/**
 * `folders.purge`: deletes a trashed folder for good — or a `cloning` one no clone of this
 * agent fills any more (a clone whose agent died), the only way to clear it.
 */
export async function purgeFolder(
  deps: FolderDeps,
  context: FolderContext,
  name: string,
): Promise<{ id: string }> {
  const visible = ownedNamed(context, name, 'delete');
  const { folder } = visible;
  if (folder.state === 'cloning' && deps.clones.runs(folder.id))
    notCloning(deps, visible, 'deleted');
  if (folder.state === 'ready')
    throw new AppFailure({
      code: 'folder-not-trashed',
      message: `Folder "${name}" is not in the trash; only a trashed folder can be deleted for good.`,
      hint: `Move it to the trash first: labdeck folder rm HOST ${name}`,
    });
  const result = await callHelper(deps, context, (helper) =>
    helper.call('privileged.folder.purge', { id: folder.id }),
  );
  deps.usage.forget(folder.id);
  return { id: result.id };
}
