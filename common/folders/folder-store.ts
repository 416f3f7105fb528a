import * as z from 'zod';
import type { AppError } from '../contract/result';
import { validateFolderName } from '../folder-names';
import { volumeNameSchema } from '../host-setup/lab-config';
import { FOLDER_ACCESS, groupNameSchema, uidSchema } from '../host-setup/privileged-ops';

/**
 * The host's folders and invitations (issue 12), as the privileged helper keeps them in
 * `/var/lib/labdeck/folders.json`: root's, 0644, replaced atomically under a lock, so every
 * user's agent reads it without sudo and only the helper — checking who asks — changes it.
 * Folders are directories `VOLUME/labdeck-folders/ID` named by id, so renaming and trashing
 * change only this record, never a path XFS's /etc/projects names.
 */

/** The directory in each volume that holds the folders, root's and 0711 (enter, not list). */
export const FOLDERS_DIR_NAME = 'labdeck-folders';

/** A folder's or an invitation's id: 16 lowercase hex digits, random. */
export const folderIdSchema = z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 hex digits');

/** A folder name, checked by {@link validateFolderName}. */
export const folderNameSchema = z.string().superRefine((name, context) => {
  const check = validateFolderName(name);
  if (!check.ok) context.addIssue({ code: 'custom', message: check.message });
});

/** What a folder is doing: usable, being filled by a clone, or in the trash. */
export const FOLDER_STATES = ['ready', 'cloning', 'trashed'] as const;
export type FolderState = (typeof FOLDER_STATES)[number];

/** A user's permission on a folder: its owner's, or a grant's (DESIGN.md §5: ro ⊂ rw ⊂ wd). */
export const FOLDER_PERMISSIONS = ['owner', ...FOLDER_ACCESS] as const;
export type FolderPermission = (typeof FOLDER_PERMISSIONS)[number];

/** Where an invitation stands. */
export const INVITATION_STATES = ['pending', 'accepted', 'rejected', 'canceled'] as const;
export type InvitationState = (typeof INVITATION_STATES)[number];

const byteCountSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** One folder. */
export const folderRecordSchema = z
  .object({
    id: folderIdSchema,
    name: folderNameSchema,
    volume: volumeNameSchema,
    ownerUid: uidSchema,
    /** The owner's user name when the folder was made (uids are the truth). */
    owner: z.string().min(1).max(64),
    /** A group folder's Unix group (its members read and write it); null for a user's own. */
    group: groupNameSchema.nullable(),
    cloneable: z.boolean(),
    /** The hard limit asked for, in bytes; 0 for none. */
    quotaBytes: byteCountSchema,
    /** Its XFS project; null on a plain volume. */
    projectId: z.number().int().positive().nullable(),
    state: z.enum(FOLDER_STATES),
    createdAt: z.string(),
    trashedAt: z.string().nullable(),
  })
  .strict();
export type FolderRecord = z.infer<typeof folderRecordSchema>;

/** One invitation to a folder. */
export const invitationRecordSchema = z
  .object({
    id: folderIdSchema,
    folderId: folderIdSchema,
    ownerUid: uidSchema,
    owner: z.string().min(1).max(64),
    inviteeUid: uidSchema,
    invitee: z.string().min(1).max(64),
    permission: z.enum(FOLDER_ACCESS),
    state: z.enum(INVITATION_STATES),
    /** The name the invitee accepted it under, when not the folder's own (a name clash). */
    alias: folderNameSchema.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();
export type InvitationRecord = z.infer<typeof invitationRecordSchema>;

/** The version of `folders.json` this LabDeck writes. */
export const FOLDER_STORE_VERSION = 1;

/** `/var/lib/labdeck/folders.json`. */
export const folderStoreSchema = z
  .object({
    version: z.literal(FOLDER_STORE_VERSION),
    folders: z.array(folderRecordSchema),
    invitations: z.array(invitationRecordSchema),
  })
  .strict();
export type FolderStore = z.infer<typeof folderStoreSchema>;

/** The store of a host with no folder yet. */
export function emptyFolderStore(): FolderStore {
  return { version: FOLDER_STORE_VERSION, folders: [], invitations: [] };
}

/** `VOLUME/labdeck-folders/ID`: where a folder's files are. */
export function folderDirectory(volumePath: string, id: string): string {
  return `${volumePath}/${FOLDERS_DIR_NAME}/${id}`;
}

/** Who is asking: a uid and the groups they are in (names). */
export interface FolderViewer {
  readonly uid: number;
  readonly groups: ReadonlySet<string>;
}

/** A folder as one user sees it: under which name, with what permission. */
export interface VisibleFolder {
  readonly folder: FolderRecord;
  /** The name this user knows it by (an accepted invitation's alias, else its own). */
  readonly name: string;
  readonly permission: FolderPermission;
  /** How they reach it: their own, their group's, or an accepted invitation. */
  readonly via: 'own' | 'group' | 'invitation';
  /** The accepted invitation, for `via: 'invitation'`. */
  readonly invitation?: InvitationRecord;
}

/**
 * Every folder `viewer` can see: their own (trashed ones too), ready group folders of their
 * groups (read-write for members), and folders they accepted an invitation to. Names are unique
 * among these; {@link nameTaken} checks a new one against them.
 */
export function visibleFolders(store: FolderStore, viewer: FolderViewer): VisibleFolder[] {
  const seen: VisibleFolder[] = [];
  for (const folder of store.folders) {
    if (folder.ownerUid === viewer.uid)
      seen.push({ folder, name: folder.name, permission: 'owner', via: 'own' });
    else if (folder.group !== null && viewer.groups.has(folder.group))
      seen.push({ folder, name: folder.name, permission: 'rw', via: 'group' });
  }
  for (const invitation of store.invitations) {
    if (invitation.inviteeUid !== viewer.uid || invitation.state !== 'accepted') continue;
    const folder = store.folders.find((candidate) => candidate.id === invitation.folderId);
    if (folder === undefined || seen.some((known) => known.folder.id === folder.id)) continue;
    seen.push({
      folder,
      name: invitation.alias ?? folder.name,
      permission: invitation.permission,
      via: 'invitation',
      invitation,
    });
  }
  return seen;
}

/** How a name resolves for one user: one folder, none, or several they must tell apart first. */
export type VisibleLookup =
  | { readonly kind: 'found'; readonly visible: VisibleFolder }
  | { readonly kind: 'none' }
  | { readonly kind: 'ambiguous'; readonly matches: readonly VisibleFolder[] };

/**
 * What `name` names for `viewer`. Two folders they see can share a name (a group folder made by
 * another member, a shared folder its owner renamed): that is `ambiguous`, never the first match,
 * so a session never mounts a folder the user did not mean.
 */
export function lookupVisible(
  store: FolderStore,
  viewer: FolderViewer,
  name: string,
): VisibleLookup {
  const matches = visibleFolders(store, viewer).filter((visible) => visible.name === name);
  const [only] = matches;
  if (only === undefined) return { kind: 'none' };
  return matches.length === 1 ? { kind: 'found', visible: only } : { kind: 'ambiguous', matches };
}

/**
 * The visible folder `viewer` calls `name`, if exactly one: undefined when none is, and when
 * several are ({@link lookupVisible} tells the two apart; {@link ambiguousFolderName} says it).
 */
export function findVisible(
  store: FolderStore,
  viewer: FolderViewer,
  name: string,
): VisibleFolder | undefined {
  const found = lookupVisible(store, viewer, name);
  return found.kind === 'found' ? found.visible : undefined;
}

/** The error for a name that names several folders a user sees: which, and how to settle it. */
export function ambiguousFolderName(name: string, matches: readonly VisibleFolder[]): AppError {
  const which = matches
    .map((visible) =>
      visible.via === 'own' ? 'your own' : `${visible.folder.owner}'s (${visible.via})`,
    )
    .join(', ');
  return {
    code: 'folder-name-ambiguous',
    message: `name: "${name}" names ${matches.length} folders you see on this host (${which}), so LabDeck does not pick one.`,
    hint: 'Rename your own folder, or leave the shared one and accept it again under another name (labdeck folder accept HOST ID --as NEWNAME).',
  };
}

/** Whether `name` already names one (or more) of the folders `viewer` can see. */
export function nameTaken(store: FolderStore, viewer: FolderViewer, name: string): boolean {
  return lookupVisible(store, viewer, name).kind !== 'none';
}

const PERMISSION_RANK: Readonly<Record<FolderPermission, number>> = {
  ro: 0,
  rw: 1,
  wd: 2,
  owner: 3,
};

/** Whether `permission` includes `needed` (ro ⊂ rw ⊂ wd ⊂ owner). */
export function permits(permission: FolderPermission, needed: FolderPermission): boolean {
  return PERMISSION_RANK[permission] >= PERMISSION_RANK[needed];
}
