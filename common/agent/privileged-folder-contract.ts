import * as z from 'zod';
import {
  folderIdSchema,
  folderNameSchema,
  folderRecordSchema,
  invitationRecordSchema,
} from '../folders/folder-store';
import { volumeNameSchema } from '../host-setup/lab-config';
import { FOLDER_ACCESS, groupNameSchema } from '../host-setup/privileged-ops';

/**
 * The privileged helper's folder operations (issue 12). The helper keeps `folders.json`, makes
 * and removes the directories, their XFS projects, quotas and ACL grants, and checks who asks:
 * the owner changes a folder, the invitee answers an invitation, a grantee leaves. Folders are
 * named by id here; the agent maps the names its user sees to ids. Every params object is strict.
 */

const bytesSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const idRef = z.object({ id: folderIdSchema }).strict();

/** Whether a folder's limit is enforced by the filesystem, and why not. */
const quotaOutcomeSchema = z.object({ enforced: z.boolean(), reason: z.string().nullable() });

/** A folder after a change: its record, its real directory, whether its quota holds. */
const folderOutcomeSchema = z.object({
  folder: folderRecordSchema,
  path: z.string(),
  quota: quotaOutcomeSchema,
});

export const privilegedFolderMethods = {
  /**
   * Makes `VOLUME/labdeck-folders/ID` for the caller (0700; a group folder 2770 with its group),
   * gives it an XFS project on an XFS volume and the limit on a prjquota one, and records it —
   * all under the store's lock, the name checked unique among what the caller sees.
   */
  'privileged.folder.create': {
    params: z
      .object({
        volume: volumeNameSchema,
        name: folderNameSchema,
        group: groupNameSchema.nullable().default(null),
        cloneable: z.boolean().default(false),
        quotaBytes: bytesSchema.default(0),
        /** `cloning` while a clone fills it; `privileged.folder.ready` ends that. */
        state: z.enum(['ready', 'cloning']).default('ready'),
      })
      .strict(),
    result: folderOutcomeSchema,
  },
  /** Renames, sets the limit or the cloneable flag. Owner. */
  'privileged.folder.update': {
    params: z
      .object({
        id: folderIdSchema,
        name: folderNameSchema.optional(),
        cloneable: z.boolean().optional(),
        quotaBytes: bytesSchema.optional(),
      })
      .strict(),
    result: folderOutcomeSchema,
  },
  /** A clone finished: `cloning` → `ready`. Owner. */
  'privileged.folder.ready': { params: idRef, result: folderOutcomeSchema },
  /** Into the trash (the files stay until purged). Owner. */
  'privileged.folder.trash': { params: idRef, result: folderOutcomeSchema },
  /** Out of the trash. Owner. */
  'privileged.folder.restore': { params: idRef, result: folderOutcomeSchema },
  /**
   * Deletes the folder: its files, its project entries and limit, its record and invitations, in
   * one locked step. Owner; the folder must be trashed or still `cloning` (a failed clone).
   */
  'privileged.folder.purge': {
    params: idRef,
    result: z.object({ id: z.string(), invitations: z.number().int() }),
  },
  /** Invites a user of the host (by name) to a folder with a permission. Owner; not dot-folders. */
  'privileged.folder.invite': {
    params: z
      .object({
        id: folderIdSchema,
        user: z.string().min(1).max(64),
        permission: z.enum(FOLDER_ACCESS),
      })
      .strict(),
    result: z.object({ invitation: invitationRecordSchema }),
  },
  /**
   * The invitee accepts (the grant is made: a POSIX ACL entry) or rejects a pending invitation.
   * `alias` names it for them when the folder's own name clashes with one they see.
   */
  'privileged.folder.respond': {
    params: z
      .object({
        id: folderIdSchema,
        accept: z.boolean(),
        alias: folderNameSchema.nullable().default(null),
      })
      .strict(),
    result: z.object({ invitation: invitationRecordSchema }),
  },
  /** The owner withdraws an invitation: a pending one, or an accepted one with its grant. */
  'privileged.folder.cancel': {
    params: idRef,
    result: z.object({ invitation: invitationRecordSchema }),
  },
  /** A grantee drops their own grant (ACL entries and accepted invitation); data untouched. */
  'privileged.folder.leave': { params: idRef, result: z.object({ id: z.string() }) },
  /**
   * Usage and limits of a volume's projects from `xfs_quota -x -c 'report -p -n -b'`, or why the
   * volume reports none (a plain volume, a kernel or mount without project quota).
   */
  'privileged.quota.report': {
    params: z.object({ volume: volumeNameSchema }).strict(),
    result: z.object({
      enforced: z.boolean(),
      reason: z.string().nullable(),
      projects: z.array(
        z.object({
          projectId: z.number().int().positive(),
          usedBytes: z.number().int().nonnegative(),
          limitBytes: z.number().int().nonnegative(),
        }),
      ),
    }),
  },
} as const;
