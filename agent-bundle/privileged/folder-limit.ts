import type { Volume } from '../../common/host-setup/lab-config';
import { QUOTA_NOT_ENFORCED_PLAIN, QUOTA_NOT_ENFORCED_XFS } from '../../common/folders/folder-view';
import { projectQuotaMounted } from './mount-point';
import { limitProject } from './quota-ops';

/** Whether the filesystem enforces a folder's limit, and if not, why, in the words users see. */
export interface QuotaOutcome {
  readonly enforced: boolean;
  readonly reason: string | null;
}

const NOT_ENFORCED_XFS: QuotaOutcome = { enforced: false, reason: QUOTA_NOT_ENFORCED_XFS };
const ENFORCED: QuotaOutcome = { enforced: true, reason: null };

/**
 * Whether limits hold on the volume at `path` (its real directory): never on a plain volume;
 * on XFS only when the volume is declared `xfs-prjquota` and really mounted with project quota.
 */
export async function volumeQuotaState(volume: Volume, path: string): Promise<QuotaOutcome> {
  if (volume.kind === 'plain') return { enforced: false, reason: QUOTA_NOT_ENFORCED_PLAIN };
  if (volume.kind === 'xfs') return NOT_ENFORCED_XFS;
  return (await projectQuotaMounted(path)) ? ENFORCED : NOT_ENFORCED_XFS;
}

/**
 * Applies a folder's limit of `bytes` (0: none) to its project where the volume can hold one,
 * and says whether it is enforced. A volume declared `xfs-prjquota` whose kernel or mount has
 * no project quota ("Function not implemented") is not an error: the folder works unlimited,
 * and the outcome says so. Other xfs_quota failures throw (the caller rolls back).
 */
export async function applyFolderLimit(
  volume: Volume,
  path: string,
  projectId: number | null,
  bytes: number,
): Promise<QuotaOutcome> {
  if (volume.kind !== 'xfs-prjquota' || projectId === null) return volumeQuotaState(volume, path);
  const outcome = await limitProject(path, projectId, bytes);
  return outcome.applied && (await projectQuotaMounted(path)) ? ENFORCED : NOT_ENFORCED_XFS;
}
