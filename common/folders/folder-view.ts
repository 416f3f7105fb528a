import * as z from 'zod';
import { VOLUME_KINDS } from '../host-setup/lab-config';
import { FOLDER_ACCESS } from '../host-setup/privileged-ops';
import { FOLDER_PERMISSIONS, FOLDER_STATES, INVITATION_STATES } from './folder-store';

/**
 * Folders and invitations as a user sees them (issue 12): what the agent answers, what main
 * hands the window and what `labdeck folder ls --json` prints. Every key is always present;
 * what is unknown is null, never missing.
 */

/** A folder's limit and usage, honest about whether the filesystem enforces the limit. */
export const folderQuotaSchema = z.object({
  /** The limit asked for, in bytes; 0 for none. */
  limitBytes: z.number().int().nonnegative(),
  /** Bytes in the folder; null until first measured (a walk runs in the background). */
  usedBytes: z.number().int().nonnegative().nullable(),
  /** Whether the filesystem itself refuses writes past the limit. */
  enforced: z.boolean(),
  /** Why not, in words, when a limit is set but not enforced; null otherwise. */
  reason: z.string().nullable(),
});
export type FolderQuota = z.infer<typeof folderQuotaSchema>;

/** The words shown when the volume is XFS but its kernel or mount has no project quota. */
export const QUOTA_NOT_ENFORCED_XFS = 'not enforced: the kernel or mount lacks XFS project quota';
/** The words shown for a volume that is not XFS. */
export const QUOTA_NOT_ENFORCED_PLAIN =
  'not enforced: the volume is not XFS, so it has no project quota';

/** One folder as the agent lists it for its user. */
export const agentFolderViewSchema = z.object({
  id: z.string(),
  /** The name this user knows it by. */
  name: z.string(),
  owner: z.string(),
  volume: z.string(),
  /** The directory on the host. */
  path: z.string(),
  /** This user's permission: `owner`, `ro`, `rw` or `wd`. */
  permission: z.enum(FOLDER_PERMISSIONS),
  /** A group folder's Unix group; null for a user's own. */
  group: z.string().nullable(),
  /** How this user reaches it. */
  via: z.enum(['own', 'group', 'invitation']),
  quota: folderQuotaSchema,
  cloneable: z.boolean(),
  state: z.enum(FOLDER_STATES),
});
export type AgentFolderView = z.infer<typeof agentFolderViewSchema>;

/** One invitation, to or from this user. */
export const invitationViewSchema = z.object({
  id: z.string(),
  /** The folder's name as its owner calls it. */
  folder: z.string(),
  owner: z.string(),
  invitee: z.string(),
  permission: z.enum(FOLDER_ACCESS),
  state: z.enum(INVITATION_STATES),
  /** Whether this user received it (`incoming`) or sent it. */
  direction: z.enum(['incoming', 'outgoing']),
  /** The name it was accepted under, when not the folder's own. */
  alias: z.string().nullable(),
});
export type InvitationView = z.infer<typeof invitationViewSchema>;

/** A storage volume folders can be made on. */
export const folderVolumeSchema = z.object({
  name: z.string(),
  path: z.string(),
  kind: z.enum(VOLUME_KINDS),
});
export type FolderVolume = z.infer<typeof folderVolumeSchema>;

/** Where a clone stands. */
export const cloneProgressSchema = z.object({
  copiedBytes: z.number().int().nonnegative(),
  /** What the source held when the copy began. */
  totalBytes: z.number().int().nonnegative(),
  state: z.enum(['running', 'done', 'failed', 'canceled']),
  /** Why it failed, for `failed`; null otherwise. */
  message: z.string().nullable(),
});
export type CloneProgress = z.infer<typeof cloneProgressSchema>;

/** One folder a session mounts, resolved on the host. */
export const folderMountSchema = z.object({
  name: z.string(),
  id: z.string(),
  /** The directory on the host. */
  path: z.string(),
  /** Where it appears in the container: `/home/work/NAME`. */
  target: z.string(),
  readOnly: z.boolean(),
});
export type FolderMount = z.infer<typeof folderMountSchema>;

/** Where folders appear inside a session's container. */
export const SESSION_FOLDERS_DIR = '/home/work';
