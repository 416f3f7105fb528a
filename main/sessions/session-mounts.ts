import type { FolderMount } from '../../common/folders/folder-view';
import { AppFailure, type Result } from '../../common/contract/result';
import type { Host } from '../hosts/host';
import { valueOf } from './host-devices';
import type { SessionPlan } from './session-plan';

/**
 * Characters a path cannot hold in Docker's `HostConfig.Binds` (`PATH:TARGET[:ro]`): a colon
 * would be read as the separator, a newline or NUL is no path Docker takes.
 */
const UNBINDABLE = /[:\n\0]/;

/**
 * Agent errors that mean "this host has no folders to mount", not "something broke": an agent
 * older than folders, a host with no storage volume. Any other error is reported, since
 * starting anyway would silently drop the user's `.local`.
 */
const NO_FOLDERS_HERE: ReadonlySet<string> = new Set(['unknown-agent-method', 'folders-no-volume']);

/**
 * The mounts of the agent's `folders.mounts` answer: with none asked for, an answer that this
 * host has no folders means none (see {@link NO_FOLDERS_HERE}); any other failure is thrown.
 */
export function mountsOfAnswer(answer: Result<{ mounts: FolderMount[] }>, asked: number) {
  if (!answer.ok && asked === 0 && NO_FOLDERS_HERE.has(answer.error.code)) return [];
  return valueOf(answer).mounts;
}

/**
 * The folders a session mounts (issue 12), resolved on the host by the agent's `folders.mounts`
 * before anything is created: each asked for (read-only forced where the user's grant is `ro`),
 * then every ready dot-folder of the user's (`.local`), mounted without being named. A folder
 * asked for that is unknown, trashed or still cloning fails the launch with the agent's error,
 * so nothing starts. With none asked for, a host without folders (an older agent, no volume)
 * starts the session without dot-folders; one whose folders cannot be read now refuses.
 */
export async function resolveSessionMounts(
  host: Host,
  hostName: string,
  plan: Pick<SessionPlan, 'mounts'>,
): Promise<FolderMount[]> {
  const agent = await host.agent();
  const answer = await agent.call('folders.mounts', {
    mounts: plan.mounts.map(({ name, readOnly }) => ({ name, readOnly })),
  });
  const mounts = mountsOfAnswer(answer, plan.mounts.length);
  const unbindable = mounts.find((mount) => UNBINDABLE.test(mount.path));
  if (unbindable)
    throw new AppFailure({
      code: 'folder-path-unmountable',
      message: `Folder "${unbindable.name}" on ${hostName} lies at ${JSON.stringify(unbindable.path)}, a path Docker cannot bind (it has a ":" or a control character).`,
      hint: "Ask the host's admin to declare its volume at a path without one: labdeck host setup HOST --volume NAME=PATH",
    });
  return mounts;
}
