import {
  folderDirectory,
  type FolderRecord,
  type FolderStore,
  type FolderViewer,
  type InvitationRecord,
  type VisibleFolder,
} from '../../common/folders/folder-store';
import {
  QUOTA_NOT_ENFORCED_PLAIN,
  QUOTA_NOT_ENFORCED_XFS,
  type AgentFolderView,
  type FolderQuota,
  type InvitationView,
} from '../../common/folders/folder-view';
import type { Volume } from '../../common/host-setup/lab-config';

/**
 * Folders and invitations as the agent's user sees them (issue 12): pure functions from the
 * store's records, the configured volumes and what is known of usage.
 */

/** What the volume's project quota report says of the folder's volume, when it was asked. */
export interface VolumeReport {
  readonly enforced: boolean;
  readonly reason: string | null;
  /** Used bytes by project id. */
  readonly used: ReadonlyMap<number, number>;
}

/** The directory of `folder` on the host, or '' when its volume is no longer configured. */
export function folderPath(folder: FolderRecord, volumes: readonly Volume[]): string {
  const volume = volumes.find((known) => known.name === folder.volume);
  return volume === undefined ? '' : folderDirectory(volume.path, folder.id);
}

/** Why a folder's limit is not enforced on a volume of `kind` without (or with a failed) report. */
function reasonFor(volume: Volume | undefined, report: VolumeReport | undefined): string {
  if (report !== undefined && report.reason !== null) return report.reason;
  if (volume === undefined) return 'not enforced: the folder’s volume is no longer configured';
  return volume.kind === 'plain' ? QUOTA_NOT_ENFORCED_PLAIN : QUOTA_NOT_ENFORCED_XFS;
}

/**
 * A folder's limit and usage: used bytes from the volume's quota report where it is enforced,
 * else from the background walk (`walked`, null until measured). `enforced` and `reason` speak
 * of the limit, so a folder without one has neither.
 */
export function folderQuota(
  folder: FolderRecord,
  volumes: readonly Volume[],
  report: VolumeReport | undefined,
  walked: number | null,
): FolderQuota {
  const volume = volumes.find((known) => known.name === folder.volume);
  // A project the report does not list has no blocks charged to it yet.
  const reported =
    report?.enforced === true && folder.projectId !== null
      ? (report.used.get(folder.projectId) ?? 0)
      : undefined;
  const usedBytes = reported ?? walked;
  const limitBytes = folder.quotaBytes;
  if (limitBytes === 0) return { limitBytes, usedBytes, enforced: false, reason: null };
  const enforced = report?.enforced === true && folder.projectId !== null;
  return { limitBytes, usedBytes, enforced, reason: enforced ? null : reasonFor(volume, report) };
}

/** One visible folder as `folders.*` answers it. */
export function folderView(
  visible: VisibleFolder,
  volumes: readonly Volume[],
  quota: FolderQuota,
): AgentFolderView {
  const { folder } = visible;
  return {
    id: folder.id,
    name: visible.name,
    owner: folder.owner,
    volume: folder.volume,
    path: folderPath(folder, volumes),
    permission: visible.permission,
    group: folder.group,
    via: visible.via,
    quota,
    cloneable: folder.cloneable,
    state: folder.state,
  };
}

/** An invitation as `viewer` sees it; the folder named as its owner calls it. */
export function invitationView(
  invitation: InvitationRecord,
  store: FolderStore,
  viewer: FolderViewer,
): InvitationView {
  const folder = store.folders.find((candidate) => candidate.id === invitation.folderId);
  return {
    id: invitation.id,
    folder: folder?.name ?? '',
    owner: invitation.owner,
    invitee: invitation.invitee,
    permission: invitation.permission,
    state: invitation.state,
    direction: invitation.inviteeUid === viewer.uid ? 'incoming' : 'outgoing',
    alias: invitation.alias,
  };
}

/**
 * The invitations to and from `viewer` of folders that still exist, in every state the issue
 * lists (`pending`, `accepted`, `rejected`, `canceled`): the owner sees theirs as outgoing, the
 * invitee as incoming, so each learns how an invitation ended.
 */
export function invitationViews(store: FolderStore, viewer: FolderViewer): InvitationView[] {
  return store.invitations
    .filter(
      (invitation) =>
        (invitation.inviteeUid === viewer.uid || invitation.ownerUid === viewer.uid) &&
        store.folders.some((folder) => folder.id === invitation.folderId),
    )
    .map((invitation) => invitationView(invitation, store, viewer));
}
