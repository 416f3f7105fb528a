import type { FolderMount } from '../../common/folders/folder-view';
import { AppFailure } from '../../common/contract/result';
import type { Host } from '../hosts/host';
import { valueOf } from './host-devices';
import type { SessionPlan } from './session-plan';

/**
 * Characters a path cannot hold in Docker's `HostConfig.Binds` (`PATH:TARGET[:ro]`): a colon
 * would be read as the separator, a newline or NUL is no path Docker takes.
 */
const UNBINDABLE = /[:\n\0]/;

/**
 * The folders a session mounts (issue 12), resolved on the host by the agent's `folders.mounts`
 * before anything is created: each asked for (read-only forced where the user's grant is `ro`),
 * then every ready dot-folder of the user's (`.local`), mounted without being named. A folder
 * asked for that is unknown, trashed or still cloning fails the launch with the agent's error,
 * so nothing starts. With none asked for, a host whose folders cannot be read (not set up, an
 * older agent) starts the session without dot-folders rather than refusing every session.
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
  if (!answer.ok && plan.mounts.length === 0) return [];
  const { mounts } = valueOf(answer);
  const unbindable = mounts.find((mount) => UNBINDABLE.test(mount.path));
  if (unbindable)
    throw new AppFailure({
      code: 'folder-path-unmountable',
      message: `Folder "${unbindable.name}" on ${hostName} lies at ${JSON.stringify(unbindable.path)}, a path Docker cannot bind (it has a ":" or a control character).`,
      hint: "Ask the host's admin to declare its volume at a path without one: labdeck host setup HOST --volume NAME=PATH",
    });
  return mounts;
}
