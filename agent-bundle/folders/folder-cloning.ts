import { AppFailure } from '../../common/contract/result';
import type { AgentFolderView } from '../../common/folders/folder-view';
import { nameFree, pickVolume } from './folder-changes';
import {
  callHelper,
  outcomeView,
  visibleNamed,
  type FolderDeps,
  type FolderParams,
} from './folder-deps';
import type { FolderContext } from './folder-reader';
import { folderPath } from './folder-views';

/**
 * `folders.clone`: the helper makes the target (state `cloning`, on the source's volume unless
 * another is named), then the agent copies the source into it as the user, in the background;
 * `folders.clone-progress` follows it. The source must be readable by the user — theirs, their
 * group's or shared with them — and cloneable unless it is their own.
 */
export async function startClone(
  deps: FolderDeps,
  context: FolderContext,
  params: FolderParams<'folders.clone'>,
): Promise<AgentFolderView> {
  const source = visibleNamed(context, params.source);
  if (source.permission !== 'owner' && !source.folder.cloneable)
    throw new AppFailure({
      code: 'folder-not-cloneable',
      message: `Folder "${params.source}" is ${source.folder.owner}'s and not marked cloneable.`,
      hint: `Ask ${source.folder.owner} to mark it cloneable.`,
    });
  if (source.folder.state !== 'ready')
    throw new AppFailure({
      code: 'folder-not-ready',
      message: `Folder "${params.source}" cannot be cloned: it is ${source.folder.state === 'trashed' ? 'in the trash' : 'still being cloned itself'}.`,
      hint: 'Clone a ready folder.',
    });
  const sourcePath = folderPath(source.folder, context.volumes);
  if (sourcePath === '')
    throw new AppFailure({
      code: 'folder-volume-missing',
      message: `Folder "${params.source}" is on volume "${source.folder.volume}", which this host's configuration no longer declares.`,
      hint: 'Ask an admin to declare it again: labdeck host setup HOST --volume NAME=PATH',
    });
  const volume = pickVolume(context.volumes, params.volume ?? source.folder.volume);
  nameFree(context, params.target);
  const outcome = await callHelper(deps, context, (helper) =>
    helper.call('privileged.folder.create', {
      volume: volume.name,
      name: params.target,
      state: 'cloning',
    }),
  );
  const targetId = outcome.folder.id;
  const helperCall = async (method: 'privileged.folder.ready' | 'privileged.folder.purge') => {
    await callHelper(deps, context, (helper) => helper.call(method, { id: targetId }));
  };
  deps.clones.start({
    name: params.target,
    targetId,
    sourcePath,
    targetPath: outcome.path,
    ready: async () => {
      await helperCall('privileged.folder.ready');
      // Measured while it filled: the next list measures it whole.
      deps.usage.forget(targetId);
    },
    purge: async () => {
      await helperCall('privileged.folder.purge');
      deps.usage.forget(targetId);
    },
  });
  return outcomeView(deps, outcome);
}
