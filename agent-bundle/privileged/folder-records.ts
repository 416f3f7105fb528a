import {
  visibleFolders,
  type FolderRecord,
  type FolderStore,
  type FolderViewer,
  type InvitationRecord,
} from '../../common/folders/folder-store';
import { ROOT_UID } from './caller';
import { refuse } from './privileged-refusal';

/**
 * Edits of `folders.json`'s records and the checks of who may make them. Pure: each returns a
 * new store (the helper writes it under the lock) or throws a refusal naming the field.
 */

/** The folder with `id`, or `folder-not-found`. */
export function folderById(store: FolderStore, id: string): FolderRecord {
  const folder = store.folders.find((known) => known.id === id);
  if (folder === undefined)
    throw refuse(
      'folder-not-found',
      `id: no folder has id ${id} on this host.`,
      'List your folders: labdeck folder ls HOST',
    );
  return folder;
}

/** The folder with `id` if `callerUid` owns it (root owns all), else a refusal naming `what`. */
export function ownedFolder(
  store: FolderStore,
  id: string,
  callerUid: number,
  what: string,
): FolderRecord {
  const folder = folderById(store, id);
  if (callerUid === ROOT_UID || folder.ownerUid === callerUid) return folder;
  throw refuse(
    'folder-not-owner',
    `Only the owner of folder "${folder.name}" (${folder.owner}) may ${what}; you (uid ${callerUid}) are not.`,
    "Ask the folder's owner.",
  );
}

/** The invitation with `id`, or `invitation-not-found`. */
export function invitationById(store: FolderStore, id: string): InvitationRecord {
  const invitation = store.invitations.find((known) => known.id === id);
  if (invitation === undefined)
    throw refuse(
      'invitation-not-found',
      `id: no invitation has id ${id} on this host.`,
      'List your invitations: labdeck folder invitations HOST',
    );
  return invitation;
}

/** Refuses an invitation that was already answered or withdrawn. */
export function requirePending(invitation: InvitationRecord, what: string): void {
  if (invitation.state === 'pending') return;
  throw refuse(
    'invitation-not-pending',
    `Invitation ${invitation.id} is ${invitation.state}, so it cannot be ${what} any more.`,
    'Only a pending invitation can be accepted or rejected; only a pending or accepted one canceled.',
  );
}

/**
 * Refuses `name` when it already names a folder `viewer` sees (other than `except`, the
 * folder being renamed); `hint` says the way out.
 */
export function requireNameFree(
  store: FolderStore,
  viewer: FolderViewer,
  name: string,
  hint: string,
  except?: string,
): void {
  const clash = visibleFolders(store, viewer).find(
    (visible) => visible.name === name && visible.folder.id !== except,
  );
  if (clash === undefined) return;
  throw refuse(
    'folder-name-taken',
    `name: "${name}" already names a folder you see on this host (${clash.via === 'own' ? 'your own' : `${clash.folder.owner}'s`}).`,
    hint,
  );
}

/** Another user whose view a name must fit: their name (for the message) and what they see. */
export interface OtherViewer {
  readonly name: string;
  readonly viewer: FolderViewer;
}

/**
 * Refuses `name` when it already names a folder one of `others` sees (other than `except`): they
 * would see the folder being named beside another of the same name (a group folder's members, a
 * shared folder's grantees). The message names whose view clashes, never what their folder is.
 */
export function requireNameFreeForOthers(
  store: FolderStore,
  others: readonly OtherViewer[],
  name: string,
  except?: string,
): void {
  for (const other of others) {
    const clash = visibleFolders(store, other.viewer).some(
      (visible) => visible.name === name && visible.folder.id !== except,
    );
    if (clash)
      throw refuse(
        'folder-name-taken',
        `name: "${name}" already names a folder ${other.name} sees on this host, and they would see this one too.`,
        'Pick another name.',
      );
  }
}

/** The store with `folder` put in place of the record with its id (or added). */
export function withFolder(store: FolderStore, folder: FolderRecord): FolderStore {
  const at = store.folders.findIndex((known) => known.id === folder.id);
  const folders =
    at === -1
      ? [...store.folders, folder]
      : store.folders.map((known, index) => (index === at ? folder : known));
  return { ...store, folders };
}

/**
 * The store with folder `id` renamed from `from` to `to` for its owner only: every accepted
 * invitation that knew it by its own name gets `from` as its alias, so grantees' names (and
 * their sessions' `--mount NAME`) never change under them; one whose alias is `to` drops it.
 */
export function withNamesKept(
  store: FolderStore,
  id: string,
  from: string,
  to: string,
): FolderStore {
  if (from === to) return store;
  const invitations = store.invitations.map((known) => {
    if (known.folderId !== id || known.state !== 'accepted') return known;
    if (known.alias === null) return { ...known, alias: from };
    return known.alias === to ? { ...known, alias: null } : known;
  });
  return { ...store, invitations };
}

/** Answered-no or withdrawn invitations kept per folder (the newest); older ones are dropped. */
export const MAX_CLOSED_INVITATIONS_PER_FOLDER = 20;
/** Pending invitations one owner may have out at once: the store is every user's to read. */
export const MAX_PENDING_INVITATIONS_PER_OWNER = 500;
/** Folders one user may own on a host (trashed ones count until purged). */
export const MAX_FOLDERS_PER_USER = 1000;

function isClosed(invitation: InvitationRecord): boolean {
  return invitation.state === 'rejected' || invitation.state === 'canceled';
}

/**
 * The store with `invitation` put in place of the record with its id (or added); of its folder's
 * rejected and canceled invitations only the newest {@link MAX_CLOSED_INVITATIONS_PER_FOLDER}
 * stay, so invite-and-cancel loops cannot grow the store without bound.
 */
export function withInvitation(store: FolderStore, invitation: InvitationRecord): FolderStore {
  const at = store.invitations.findIndex((known) => known.id === invitation.id);
  const invitations =
    at === -1
      ? [...store.invitations, invitation]
      : store.invitations.map((known, index) => (index === at ? invitation : known));
  const closed = invitations
    .filter((known) => known.folderId === invitation.folderId && isClosed(known))
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  const dropped = new Set(closed.slice(MAX_CLOSED_INVITATIONS_PER_FOLDER).map((known) => known.id));
  return { ...store, invitations: invitations.filter((known) => !dropped.has(known.id)) };
}

/** Refuses a new invitation from `ownerUid` when they have the most pending ones allowed. */
export function requireInvitationRoom(store: FolderStore, ownerUid: number): void {
  const pending = store.invitations.filter(
    (known) => known.ownerUid === ownerUid && known.state === 'pending',
  ).length;
  if (pending < MAX_PENDING_INVITATIONS_PER_OWNER) return;
  throw refuse(
    'invitations-limit',
    `You have ${pending} pending invitations on this host, the most one user may have out at once (${MAX_PENDING_INVITATIONS_PER_OWNER}).`,
    'Cancel some you no longer need (labdeck folder invitations HOST lists them), then invite again.',
  );
}

/** Refuses a new folder for `uid` when they own the most folders allowed. */
export function requireFolderRoom(store: FolderStore, uid: number): void {
  const owned = store.folders.filter((known) => known.ownerUid === uid).length;
  if (owned < MAX_FOLDERS_PER_USER) return;
  throw refuse(
    'folders-limit',
    `You own ${owned} folders on this host (trashed ones included), the most one user may have (${MAX_FOLDERS_PER_USER}).`,
    'Delete some for good (labdeck folder purge HOST NAME), then create again.',
  );
}

/** The store without invitation `id`. */
export function withoutInvitation(store: FolderStore, id: string): FolderStore {
  return { ...store, invitations: store.invitations.filter((known) => known.id !== id) };
}

/** The store without folder `id` and its invitations, and how many invitations went with it. */
export function withoutFolder(
  store: FolderStore,
  id: string,
): { readonly store: FolderStore; readonly invitations: number } {
  const invitations = store.invitations.filter((known) => known.folderId !== id);
  return {
    store: {
      ...store,
      folders: store.folders.filter((known) => known.id !== id),
      invitations,
    },
    invitations: store.invitations.length - invitations.length,
  };
}

/** A random id (16 hex digits) no folder or invitation of `store` has. */
export function freshId(store: FolderStore, random: () => string): string {
  const taken = new Set([...store.folders, ...store.invitations].map((known) => known.id));
  for (;;) {
    const id = random();
    if (!taken.has(id)) return id;
  }
}
