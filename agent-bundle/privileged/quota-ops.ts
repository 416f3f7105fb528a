import type { PrivilegedHelperContract } from '../../common/agent/privileged-helper-contract';
import { AppFailure } from '../../common/contract/result';
import type { Volume } from '../../common/host-setup/lab-config';
import type { FolderRef } from '../../common/host-setup/privileged-ops';
import type { AgentRegistry } from '../rpc/agent-registry';
import { confineFolder, findVolume, requireOwner, requireUnmanaged } from './confined-folder';
import type { HelperContext } from './helper-context';
import { requireConfig } from './helper-config';
import { refuse } from './privileged-refusal';
import { recordedProject } from './project-ops';
import { runTool } from './system-tools';
import { toolFailure } from './tool-failure';
import { mountPointOf } from './mount-point';

/**
 * What xfs_quota prints when the kernel was built without XFS quota (CONFIG_XFS_QUOTA=n:
 * ENOSYS), or when the filesystem is mounted without project quota (quotactl's ESRCH).
 */
export const NO_PROJECT_QUOTA = /Function not implemented|No such process/;

/** Refuses a volume without project quota, with the fix. */
function requireProjectQuota(volume: Volume): void {
  if (volume.kind === 'xfs-prjquota') return;
  if (volume.kind === 'plain')
    throw refuse(
      'volume-without-quota',
      `volume: "${volume.name}" (${volume.path}) is a plain volume: its folders cannot have a size limit.`,
      'Folders on it work without a limit; for limits an admin can add an XFS volume mounted with prjquota.',
    );
  throw refuse(
    'volume-without-project-quota',
    `volume: "${volume.name}" (${volume.path}) is XFS without project quota, so a folder's limit cannot be enforced.`,
    `An admin can mount it with project quota (the prjquota option in /etc/fstab, then remount ${volume.path}) and run labdeck host setup HOST again.`,
  );
}

/** Whether a limit was applied, and if not what xfs_quota said. */
export type LimitOutcome =
  { readonly applied: true } | { readonly applied: false; readonly said: string };

/**
 * Sets project `projectId`'s hard block limit to `bytes` (0: none) on the filesystem holding
 * `path`: `xfs_quota -x -c "limit -p bhard=BYTES ID" MOUNTPOINT`. A kernel without XFS quota, or
 * a mount without project quota, is an outcome (not applied); any other failure throws.
 */
export async function limitProject(
  path: string,
  projectId: number,
  bytes: number,
): Promise<LimitOutcome> {
  const mountPoint = await mountPointOf(path);
  // The project is named by its id, so xfs_quota needs no project file; it takes the mount point.
  const limit = `limit -p bhard=${bytes} ${projectId}`;
  const run = await runTool('xfs_quota', ['-x', '-c', limit, '--', mountPoint]);
  if (NO_PROJECT_QUOTA.test(run.stderr)) return { applied: false, said: run.stderr.trim() };
  // Exit status only: xfs_quota warns on stderr about unrelated entries of /etc/projects.
  if (run.code !== 0)
    throw toolFailure('xfs-quota-failed', `set the limit of ${path}`, 'xfs_quota', run);
  return { applied: true };
}

/**
 * `privileged.quota.set`: the folder's project gets a hard block limit of `bytes` (0: none),
 * through `xfs_quota -x -c "limit -p bhard=BYTES ID" MOUNTPOINT` of the volume's filesystem. A
 * kernel without XFS quota is reported as such: the folder keeps working, without a limit.
 */
async function setQuota(context: HelperContext, params: FolderRef & { readonly bytes: number }) {
  const config = requireConfig(context.config);
  requireProjectQuota(findVolume(config, params.volume));
  const folder = await confineFolder(config, params);
  requireUnmanaged(folder);
  requireOwner(folder, context.callerUid, 'set its size limit');
  const projectId = await recordedProject(context, folder);
  if (projectId === undefined)
    throw refuse(
      'folder-without-project',
      `folder: "${params.folder}" in volume "${params.volume}" has no XFS project yet, so it cannot have a limit.`,
      'Assign it a project first (privileged.project.assign); LabDeck does this when it creates a folder.',
    );
  const outcome = await limitProject(folder.path, projectId, params.bytes);
  if (!outcome.applied)
    throw new AppFailure({
      code: 'xfs-quota-unsupported',
      message: `This host's kernel has no XFS quota support (xfs_quota said "${outcome.said}"), so the limit of ${params.bytes} bytes on ${folder.path} is not enforced. The folder works without a limit.`,
      hint: 'An admin can boot a kernel built with CONFIG_XFS_QUOTA; until then LabDeck shows the folder as "limit not enforced".',
    });
  return { projectId, bytes: params.bytes };
}

/** Registers `privileged.quota.*`. */
export function registerQuotaMethods(
  registry: AgentRegistry<PrivilegedHelperContract>,
  context: HelperContext,
): void {
  registry.handle('privileged.quota.set', (params) => setQuota(context, params));
}
