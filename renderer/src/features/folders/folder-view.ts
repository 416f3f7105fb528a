import type { FolderView } from '../../../../common/contract/folders';
import type { RequestOutput } from '../../../../common/contract/contract';
import type {
  CloneProgress,
  FolderQuota,
  InvitationView,
} from '../../../../common/folders/folder-view';
import { isDotFolder } from '../../../../common/folder-names';
import { assertNever } from '../../util/assert-never';
import { doctorFixView, type DoctorFixView } from '../hosts/doctor-view';

/** What `folders:list` answers for one host: folders, invitations and volumes. */
export type FolderListing = RequestOutput<'folders:list'>;

/** The sections of the Folders page, in the order they are shown. */
export type FolderSectionId = 'mine' | 'shared' | 'group' | 'trash';

/** One section of the page: its heading and its folders, by name. */
export interface FolderSection {
  readonly id: FolderSectionId;
  readonly title: string;
  readonly folders: readonly FolderView[];
}

const SECTION_TITLES: Readonly<Record<FolderSectionId, string>> = {
  mine: 'My folders',
  shared: 'Shared with me',
  group: 'Group folders',
  trash: 'Trash',
};

/** The section a folder belongs in: trashed ones in Trash, the rest by how the user reaches it. */
export function sectionOf(folder: FolderView): FolderSectionId {
  if (folder.state === 'trashed') return 'trash';
  switch (folder.via) {
    case 'own':
      return 'mine';
    case 'invitation':
      return 'shared';
    case 'group':
      return 'group';
    default:
      return assertNever(folder.via);
  }
}

/**
 * The page's sections with their folders sorted by name; a section without folders is left out
 * (the page says so once when there are none at all). `only` keeps one section.
 */
export function folderSections(
  folders: readonly FolderView[],
  only: FolderSectionId | 'all' = 'all',
): readonly FolderSection[] {
  const ids: readonly FolderSectionId[] = ['mine', 'shared', 'group', 'trash'];
  return ids
    .filter((id) => only === 'all' || only === id)
    .map((id) => ({
      id,
      title: SECTION_TITLES[id],
      folders: folders
        .filter((folder) => sectionOf(folder) === id)
        .sort((a, b) => a.name.localeCompare(b.name)),
    }))
    .filter((section) => section.folders.length > 0);
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** `1536` → "1.5 KiB", `0` → "0 B": powers of 1024, as `16g` in a quota field means. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 || value >= 100 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, '');
  return `${text} ${BYTE_UNITS[unit]}`;
}

/** What a folder's usage row shows: the words, a bar when there is a limit, and a warning. */
export interface UsageView {
  /** "1.2 GiB of 10 GiB", "1.2 GiB used, no limit", "measuring…". */
  readonly text: string;
  /** Used over limit for the bar, 0–1; null without a limit or before the first measure. */
  readonly fraction: number | null;
  /** The "not enforced: …" words when a limit is set but the filesystem will not hold it. */
  readonly notEnforced: string | null;
  /** At or past the limit. */
  readonly full: boolean;
}

/** The usage row of a folder: honest about a limit the filesystem does not enforce. */
export function usageView(quota: FolderQuota): UsageView {
  const used = quota.usedBytes;
  const usedText = used === null ? 'measuring…' : formatBytes(used);
  const limited = quota.limitBytes > 0;
  const text = limited
    ? `${usedText} of ${formatBytes(quota.limitBytes)}`
    : used === null
      ? 'measuring…'
      : `${usedText} used, no limit`;
  const fraction = limited && used !== null ? Math.min(1, used / quota.limitBytes) : null;
  const notEnforced =
    limited && !quota.enforced ? (quota.reason ?? 'not enforced by the filesystem') : null;
  return {
    text,
    fraction,
    notEnforced,
    full: limited && used !== null && used >= quota.limitBytes,
  };
}

/** The permission badge's words: the caller's own permission on the folder. */
export function permissionLabel(permission: FolderView['permission']): string {
  switch (permission) {
    case 'owner':
      return 'owner';
    case 'ro':
      return 'read-only';
    case 'rw':
      return 'read-write';
    case 'wd':
      return 'read-write-delete';
    default:
      return assertNever(permission);
  }
}

/** Why a folder cannot be shared by this user, or null when it can. */
export function shareBlocked(folder: FolderView): string | null {
  if (isDotFolder(folder.name))
    return 'Dot-folders are private: they are mounted into your every session and cannot be shared.';
  if (folder.permission !== 'owner') return `Only ${folder.owner}, its owner, can share it.`;
  if (folder.state !== 'ready') return 'Only a ready folder can be shared.';
  return null;
}

/** Why a folder cannot be cloned by this user, or null when it can. */
export function cloneBlocked(folder: FolderView): string | null {
  if (folder.state !== 'ready') return 'Only a ready folder can be cloned.';
  if (folder.permission !== 'owner' && !folder.cloneable)
    return `${folder.owner} has not marked it cloneable.`;
  return null;
}

/** Invitations to this user still waiting for an answer: the nav badge counts them. */
export function incomingPending(invitations: readonly InvitationView[]): readonly InvitationView[] {
  return invitations.filter((i) => i.direction === 'incoming' && i.state === 'pending');
}

/** Invitations this user sent that are still pending: they can be cancelled. */
export function outgoingPending(invitations: readonly InvitationView[]): readonly InvitationView[] {
  return invitations.filter((i) => i.direction === 'outgoing' && i.state === 'pending');
}

/**
 * Who this user shared folder `name` with: their invitations to it that are pending (the invitee
 * has not answered) or accepted (the invitee has access), those with access first, each by name.
 */
export function sharedWith(
  invitations: readonly InvitationView[],
  name: string,
): readonly InvitationView[] {
  const rank = (i: InvitationView): number => (i.state === 'accepted' ? 0 : 1);
  return invitations
    .filter(
      (i) =>
        i.direction === 'outgoing' &&
        i.folder === name &&
        (i.state === 'accepted' || i.state === 'pending'),
    )
    .sort((a, b) => rank(a) - rank(b) || a.invitee.localeCompare(b.invitee));
}

/** Pending invitations to this user over every host's listing, for the nav badge. */
export function pendingCount(listings: readonly (FolderListing | null)[]): number {
  return listings.reduce(
    (sum, listing) => sum + incomingPending(listing?.invitations ?? []).length,
    0,
  );
}

/** What a clone's progress bar shows. */
export interface CloneProgressView {
  readonly text: string;
  /** For a `<progress>`: bytes copied of the total (0 of 1 while the total is 0). */
  readonly value: number;
  readonly max: number;
}

/** "12 MiB of 40 MiB (30%)", or what ended the clone. */
export function cloneProgressView(progress: CloneProgress): CloneProgressView {
  const max = Math.max(1, progress.totalBytes);
  const value = Math.min(progress.copiedBytes, max);
  const percent = progress.totalBytes === 0 ? 100 : Math.floor((value / max) * 100);
  const amounts = `${formatBytes(progress.copiedBytes)} of ${formatBytes(progress.totalBytes)}`;
  switch (progress.state) {
    case 'running':
      return { text: `Copying… ${amounts} (${percent}%)`, value, max };
    case 'done':
      return { text: `Cloned: ${amounts}`, value: max, max };
    case 'failed':
      return { text: `Clone failed: ${progress.message ?? 'unknown error'}`, value, max };
    case 'canceled':
      return { text: 'Clone canceled; the half-made folder was removed.', value, max };
    default:
      return assertNever(progress.state);
  }
}

/**
 * A failure's hint as a Doctor-style fix: "Someone who can sudo runs host setup once: labdeck
 * host setup HOST" reads as its sentence and the command to copy; a hint of backtick spans as
 * the Doctor reads it; anything else as words only (nothing to paste into a shell).
 */
export function hintFixView(hint: string): DoctorFixView {
  const view = doctorFixView(hint);
  if (view.lead !== null) return view;
  const split = /^(.*?:)\s+((?:labdeck|sudo)\s.+)$/.exec(hint.trim());
  if (split) return { lead: split[1] ?? '', commands: [split[2] ?? ''], note: null };
  return { lead: hint, commands: [], note: null };
}
