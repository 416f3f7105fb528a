import type { MethodResult } from '../../common/agent/agent-contract';
import type { PrivilegedHelperContract } from '../../common/agent/privileged-helper-contract';
import { QUOTA_NOT_ENFORCED_PLAIN, QUOTA_NOT_ENFORCED_XFS } from '../../common/folders/folder-view';
import type { AgentRegistry } from '../rpc/agent-registry';
import { findVolume } from './confined-folder';
import { volumeRealPath } from './folder-directory';
import type { HelperContext } from './helper-context';
import { requireConfig } from './helper-config';
import { mountPointOf, projectQuotaMounted } from './mount-point';
import { NO_PROJECT_QUOTA } from './quota-ops';
import { runTool } from './system-tools';
import { toolFailure } from './tool-failure';

type QuotaReport = MethodResult<PrivilegedHelperContract, 'privileged.quota.report'>;
type ProjectUsage = QuotaReport['projects'][number];

/** xfs_quota's `-b` report counts blocks of 1 KiB. */
const REPORT_BLOCK_BYTES = 1024;
/** One report line: `#ID USED SOFT HARD WARNINGS [GRACE]` (`-n`: ids, not names). */
const REPORT_LINE = /^#?(\d+)\s+(\d+)\s+(\d+)\s+(\d+)(\s|$)/;

/**
 * The projects of `xfs_quota -x -c 'report -p -n -b -N'` output: each project's id, used bytes
 * and hard limit in bytes (0: none). Project 0 (files of no project) and lines that are not
 * project rows (blank lines between filesystems) are left out.
 */
export function parseProjectReport(text: string): ProjectUsage[] {
  const projects: ProjectUsage[] = [];
  for (const line of text.split('\n')) {
    const match = REPORT_LINE.exec(line.trim());
    if (match === null) continue;
    const [, id, used, , hard] = match;
    const projectId = Number(id);
    if (projectId === 0) continue;
    projects.push({
      projectId,
      usedBytes: Number(used) * REPORT_BLOCK_BYTES,
      limitBytes: Number(hard) * REPORT_BLOCK_BYTES,
    });
  }
  return projects;
}

/**
 * `privileged.quota.report`: usage and limits of every project on the volume's filesystem —
 * or, honestly, none: a plain volume has no projects, an `xfs` one or an `xfs-prjquota` one whose
 * mount or kernel lacks project quota ("Function not implemented") has no accounting.
 */
async function report(context: HelperContext, volumeName: string): Promise<QuotaReport> {
  const volume = findVolume(requireConfig(context.config), volumeName);
  const notEnforced = (reason: string): QuotaReport => ({ enforced: false, reason, projects: [] });
  if (volume.kind === 'plain') return notEnforced(QUOTA_NOT_ENFORCED_PLAIN);
  const path = await volumeRealPath(volume);
  if (volume.kind === 'xfs' || !(await projectQuotaMounted(path)))
    return notEnforced(QUOTA_NOT_ENFORCED_XFS);
  const command = 'report -p -n -b -N';
  const run = await runTool('xfs_quota', ['-x', '-c', command, '--', await mountPointOf(path)]);
  if (NO_PROJECT_QUOTA.test(run.stderr)) return notEnforced(QUOTA_NOT_ENFORCED_XFS);
  if (run.code !== 0)
    throw toolFailure('xfs-quota-failed', `read the quota report of ${path}`, 'xfs_quota', run);
  return { enforced: true, reason: null, projects: parseProjectReport(run.stdout) };
}

/** Registers `privileged.quota.report`. */
export function registerFolderQuotaReport(
  registry: AgentRegistry<PrivilegedHelperContract>,
  context: HelperContext,
): void {
  registry.handle('privileged.quota.report', ({ volume }) => report(context, volume));
}
