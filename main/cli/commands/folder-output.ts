import type { FolderView } from '../../../common/contract/folders';
import type { CloneProgress, InvitationView } from '../../../common/folders/folder-view';
import { terminalSafe } from '../../../common/text/terminal-safe';
import { table, type CliIo } from '../cli-io';

/**
 * What `labdeck folder …` prints: the stable `--json` shapes of the issue (every key always
 * present; change only by adding keys) and the tables a person reads, with usage bars and the
 * quota's honest "not enforced".
 */

/** The `folder ls --json` shape of one folder. */
export function folderJson(folder: FolderView): Record<string, unknown> {
  return {
    name: folder.name,
    host: folder.host,
    owner: folder.owner,
    volume: folder.volume,
    path: folder.path,
    permission: folder.permission,
    quota: {
      limitBytes: folder.quota.limitBytes,
      usedBytes: folder.quota.usedBytes,
      enforced: folder.quota.enforced,
      reason: folder.quota.reason,
    },
    cloneable: folder.cloneable,
    state: folder.state,
  };
}

/** The `folder invitations --json` shape of one invitation. */
export function invitationJson(invitation: InvitationView): Record<string, unknown> {
  return {
    id: invitation.id,
    folder: invitation.folder,
    owner: invitation.owner,
    invitee: invitation.invitee,
    permission: invitation.permission,
    state: invitation.state,
  };
}

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** `1.5 GiB`, `512 B`: sizes in the binary units quotas are typed in (`50g` is 50 GiB). */
export function sizeText(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${bytes} B`;
  return `${value.toFixed(value < 10 ? 1 : 0)} ${BINARY_UNITS[unit]}`;
}

/** Width of a usage bar, in characters. */
const BAR_CELLS = 10;

/** `[####------]`: `used` of `limit`, full (and no more) at or past the limit. */
export function usageBar(used: number, limit: number): string {
  const filled = Math.min(BAR_CELLS, Math.round((used / limit) * BAR_CELLS));
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_CELLS - filled)}]`;
}

/** A folder's usage cell: its bar and numbers, or what is known so far. */
export function usageCell(quota: FolderView['quota']): string {
  const used = quota.usedBytes === null ? 'measuring…' : sizeText(quota.usedBytes);
  if (quota.limitBytes === 0) return `${used} (no quota)`;
  const of = `of ${sizeText(quota.limitBytes)}`;
  const cell =
    quota.usedBytes === null
      ? `${used} ${of}`
      : `${usageBar(quota.usedBytes, quota.limitBytes)} ${used} ${of} (${Math.round((quota.usedBytes / quota.limitBytes) * 100)}%)`;
  return quota.enforced ? cell : `${cell}, not enforced`;
}

/** Who the user is to the folder: `owner`, or the grant and whose folder it is. */
function accessCell(folder: FolderView): string {
  if (folder.permission === 'owner')
    return folder.group ? `owner (group ${folder.group})` : 'owner';
  return `${folder.permission} (${folder.owner}'s${folder.via === 'group' ? ', group' : ''})`;
}

/** The folders as a table, then why each limit that is not enforced is not. */
export function printFolders(folders: readonly FolderView[], host: string, io: CliIo): void {
  if (folders.length === 0) {
    io.out(
      terminalSafe(`No folders on ${host}. Make one with: labdeck folder create ${host} NAME\n`),
    );
    return;
  }
  const rows = [['NAME', 'ACCESS', 'VOLUME', 'USAGE', 'STATE']];
  for (const f of folders)
    rows.push([
      f.name + (f.cloneable ? ' (cloneable)' : ''),
      accessCell(f),
      f.volume,
      usageCell(f.quota),
      f.state,
    ]);
  io.out(table(rows));
  const unenforced = folders.filter((f) => f.quota.limitBytes > 0 && !f.quota.enforced);
  for (const f of unenforced)
    io.out(terminalSafe(`\n${f.name}: the quota is ${f.quota.reason ?? 'not enforced'}`));
  if (unenforced.length > 0) io.out('\n');
}

/** The invitations as a table, incoming first, with the command that answers a pending one. */
export function printInvitations(
  invitations: readonly InvitationView[],
  host: string,
  io: CliIo,
): void {
  if (invitations.length === 0) {
    io.out(terminalSafe(`No invitations on ${host}.\n`));
    return;
  }
  const sorted = [...invitations].sort((a, b) => a.direction.localeCompare(b.direction));
  const rows = [['ID', 'FOLDER', 'FROM', 'TO', 'PERM', 'STATE']];
  for (const i of sorted)
    rows.push([
      i.id,
      i.alias ? `${i.folder} (as ${i.alias})` : i.folder,
      i.owner,
      i.invitee,
      i.permission,
      i.state,
    ]);
  io.out(table(rows));
  if (sorted.some((i) => i.direction === 'incoming' && i.state === 'pending'))
    io.out(terminalSafe(`\nAnswer one with: labdeck folder accept|reject ${host} ID\n`));
}

/** One line of a clone's progress: `copied 1.2 GiB of 3.0 GiB (40%)`. */
export function cloneProgressLine(progress: CloneProgress): string {
  // The first event comes before the source is measured: nothing is known yet.
  if (progress.state === 'running' && progress.totalBytes === 0 && progress.copiedBytes === 0)
    return 'measuring…';
  const percent =
    progress.totalBytes === 0
      ? 100
      : Math.min(100, Math.round((progress.copiedBytes / progress.totalBytes) * 100));
  return `copied ${sizeText(progress.copiedBytes)} of ${sizeText(progress.totalBytes)} (${percent}%)`;
}
