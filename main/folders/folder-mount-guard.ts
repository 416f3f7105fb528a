import type Docker from 'dockerode';
import { AppFailure } from '../../common/contract/result';
import type { Host } from '../hosts/host';
import { readSessionLabels, SESSION_LABEL, type SessionLabels } from '../sessions/session-labels';

/** Container states in which a session has (or is about to have) its folders mounted. */
const MOUNTING_STATES = new Set(['created', 'running', 'paused', 'restarting']);

/** A session that mounts a folder, as the refusal names it. */
export interface MountingSession {
  readonly name: string;
  readonly owner: string;
}

/**
 * The first session among `containers` that is running (or paused, restarting, just created)
 * and whose mounts label names folder `folderId`; undefined when none does. Labels of others'
 * containers are untrusted: a malformed one mounts nothing.
 */
export function sessionMounting(
  containers: readonly Pick<Docker.ContainerInfo, 'Labels' | 'State'>[],
  folderId: string,
): MountingSession | undefined {
  for (const container of containers) {
    if (!MOUNTING_STATES.has(container.State)) continue;
    const labels: SessionLabels | undefined = readSessionLabels(container.Labels);
    if (labels?.mounts.some((mount) => mount.folderId === folderId))
      return { name: labels.name, owner: labels.owner };
  }
  return undefined;
}

/** The refusal for a folder a running session mounts, naming the session and how to stop it. */
export function folderMountedFailure(
  folder: string,
  session: MountingSession,
  user: string,
): AppFailure {
  const theirs = session.owner !== '' && session.owner !== user;
  return new AppFailure({
    code: 'folder-mounted',
    message: `Folder "${folder}" is mounted by the running session ${session.name}${theirs ? ` (${session.owner}'s)` : ''}; stop it first.`,
    hint: theirs
      ? `Ask ${session.owner} to stop it: labdeck session stop ${session.name}`
      : `labdeck session stop ${session.name}`,
  });
}

/**
 * The refusal when Docker cannot say which sessions mount a folder: trashing it then could pull
 * a folder out from under a running session, so the check fails closed.
 */
export function mountCheckFailed(folder: string, detail: string): AppFailure {
  return new AppFailure({
    code: 'folder-mount-check-failed',
    message: `Could not ask Docker which sessions mount folder "${folder}" (${detail}); retry.`,
    hint: 'labdeck host check HOST says why Docker does not answer.',
  });
}

/**
 * Refuses (with `folder-mounted`) when a session on `host`, anyone's, mounts folder `folderId`.
 * Containers carry the folder ids they mount in their labels, so a folder shared under another
 * name is still found. When Docker does not answer, it refuses too (`folder-mount-check-failed`)
 * unless a fresh check of the host's Docker says it is `not-installed` (this computer: neither
 * `dockerd` nor `docker` on PATH; an SSH host: no Docker socket), where no session can run.
 */
export async function refuseIfMounted(
  host: Host,
  folder: { readonly id: string; readonly name: string },
): Promise<void> {
  let containers: Docker.ContainerInfo[];
  try {
    const docker = await host.docker();
    containers = await docker.listContainers({ all: true, filters: { label: [SESSION_LABEL] } });
  } catch (error) {
    const state = await host
      .refresh()
      .then((summary) => summary.docker.state)
      .catch(() => 'unknown');
    if (state === 'not-installed') return;
    throw mountCheckFailed(folder.name, (error as Error).message);
  }
  const session = sessionMounting(containers, folder.id);
  if (session) throw folderMountedFailure(folder.name, session, await host.user());
}
