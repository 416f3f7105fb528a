import { toAppError } from '../../common/contract/result';
import { callHelper, type FolderDeps } from './folder-deps';
import type { FolderContext } from './folder-reader';
import type { VolumeReport } from './folder-views';

/**
 * How long a volume's project quota report is used again: each report runs the privileged
 * helper through sudo and `xfs_quota`, and the window lists folders every few seconds.
 */
export const QUOTA_REPORT_MAX_AGE_MS = 30_000;

/** The last project quota report of each volume, answered again while younger than its age. */
export class QuotaReportCache {
  private readonly reports = new Map<
    string,
    { readonly report: VolumeReport; readonly at: number }
  >();

  constructor(
    private readonly maxAgeMs = QUOTA_REPORT_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The report of `volume` if it is fresh. */
  fresh(volume: string): VolumeReport | undefined {
    const known = this.reports.get(volume);
    return known !== undefined && this.now() - known.at < this.maxAgeMs ? known.report : undefined;
  }

  /** Keeps the report of `volume` just read. */
  keep(volume: string, report: VolumeReport): void {
    this.reports.set(volume, { report, at: this.now() });
  }
}

/**
 * The project quota reports of the volumes that have them (`xfs-prjquota`) and hold a folder
 * the user sees: from the cache when fresh, else from one helper session. A report that cannot
 * be had says why instead (and is not kept), so the list still answers with walked usage.
 */
export async function quotaReports(
  deps: FolderDeps,
  context: FolderContext,
  volumeNames: ReadonlySet<string>,
): Promise<Map<string, VolumeReport>> {
  const reports = new Map<string, VolumeReport>();
  const wanted = context.volumes.filter(
    (volume) => volume.kind === 'xfs-prjquota' && volumeNames.has(volume.name),
  );
  for (const volume of wanted) {
    const cached = deps.reports.fresh(volume.name);
    if (cached !== undefined) reports.set(volume.name, cached);
  }
  const asked = wanted.filter((volume) => !reports.has(volume.name));
  if (asked.length === 0) return reports;
  try {
    await callHelper(deps, context, async (helper) => {
      for (const volume of asked) {
        const answer = await helper.call('privileged.quota.report', { volume: volume.name });
        const report: VolumeReport = {
          enforced: answer.enforced,
          reason: answer.reason,
          used: new Map(answer.projects.map((project) => [project.projectId, project.usedBytes])),
        };
        deps.reports.keep(volume.name, report);
        reports.set(volume.name, report);
      }
    });
  } catch (error) {
    const reason = `not known: the quota report could not be read (${toAppError(error).message})`;
    for (const volume of asked)
      if (!reports.has(volume.name))
        reports.set(volume.name, { enforced: false, reason, used: new Map() });
  }
  return reports;
}
