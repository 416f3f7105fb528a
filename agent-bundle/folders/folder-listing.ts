import type { FolderList } from '../../common/agent/folder-agent';
import { visibleFolders } from '../../common/folders/folder-store';
import { toAppError } from '../../common/contract/result';
import { callHelper, type FolderDeps } from './folder-deps';
import type { FolderContext } from './folder-reader';
import {
  folderPath,
  folderQuota,
  folderView,
  invitationViews,
  type VolumeReport,
} from './folder-views';

/**
 * The project quota reports of the volumes that have them (`xfs-prjquota`) and hold a folder
 * the user sees, from one helper session. A report that cannot be had says why instead, so the
 * list still answers (usage then comes from the walk).
 */
async function quotaReports(
  deps: FolderDeps,
  context: FolderContext,
  volumeNames: ReadonlySet<string>,
): Promise<Map<string, VolumeReport>> {
  const reports = new Map<string, VolumeReport>();
  const wanted = context.volumes.filter(
    (volume) => volume.kind === 'xfs-prjquota' && volumeNames.has(volume.name),
  );
  if (wanted.length === 0) return reports;
  try {
    await callHelper(deps, context, async (helper) => {
      for (const volume of wanted) {
        const report = await helper.call('privileged.quota.report', { volume: volume.name });
        reports.set(volume.name, {
          enforced: report.enforced,
          reason: report.reason,
          used: new Map(report.projects.map((project) => [project.projectId, project.usedBytes])),
        });
      }
    });
  } catch (error) {
    const reason = `not known: the quota report could not be read (${toAppError(error).message})`;
    for (const volume of wanted)
      if (!reports.has(volume.name))
        reports.set(volume.name, { enforced: false, reason, used: new Map() });
  }
  return reports;
}

/**
 * `folders.list`: every folder the user sees with its path, permission and quota, the
 * invitations to and from them, and the host's volumes. Usage on volumes without an enforced
 * report comes from the walk cache, which this call refreshes in the background.
 */
export async function listFolders(deps: FolderDeps, context: FolderContext): Promise<FolderList> {
  const visible = visibleFolders(context.store, context.viewer);
  const reports = await quotaReports(
    deps,
    context,
    new Set(visible.map((known) => known.folder.volume)),
  );
  const folders = visible.map((known) => {
    const report = reports.get(known.folder.volume);
    const reported = report?.enforced === true && known.folder.projectId !== null;
    const path = folderPath(known.folder, context.volumes);
    const walked = reported ? null : deps.usage.usage(known.folder.id, path);
    return folderView(
      known,
      context.volumes,
      folderQuota(known.folder, context.volumes, report, walked),
    );
  });
  return {
    folders,
    invitations: invitationViews(context.store, context.viewer),
    volumes: context.volumes.map(({ name, path, kind }) => ({ name, path, kind })),
  };
}
