import type { FolderList } from '../../common/agent/folder-agent';
import { visibleFolders } from '../../common/folders/folder-store';
import type { FolderDeps } from './folder-deps';
import type { FolderContext } from './folder-reader';
import { quotaReports } from './folder-quota-reports';
import { folderPath, folderQuota, folderView, invitationViews } from './folder-views';

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
