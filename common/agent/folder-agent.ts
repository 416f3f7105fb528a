import * as z from 'zod';
import { folderIdSchema, folderNameSchema } from '../folders/folder-store';
import {
  agentFolderViewSchema,
  cloneProgressSchema,
  folderMountSchema,
  folderVolumeSchema,
  invitationViewSchema,
} from '../folders/folder-view';
import { FOLDER_ACCESS, groupNameSchema } from '../host-setup/privileged-ops';
import { volumeNameSchema } from '../host-setup/lab-config';

/**
 * The agent's `folders.*` methods and topic (issue 12): main names folders as their user sees
 * them (by name); the agent reads `folders.json`, measures usage, runs clones as the user, and
 * asks the privileged helper for every change.
 */

const bytesSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** A folder named as the caller knows it (checked again by the helper). */
const nameRef = z.object({ name: folderNameSchema }).strict();
const invitationRef = z.object({ invitation: folderIdSchema }).strict();

/** What `folders.list` answers. */
export const folderListSchema = z.object({
  folders: z.array(agentFolderViewSchema),
  invitations: z.array(invitationViewSchema),
  volumes: z.array(folderVolumeSchema),
});
export type FolderList = z.infer<typeof folderListSchema>;

export const folderAgentMethods = {
  /** The user's folders (own, group, shared with them), invitations to and from them, volumes. */
  'folders.list': { params: z.object({}).strict(), result: folderListSchema },
  /** Makes a folder the user owns (on the first volume when none is named). */
  'folders.create': {
    params: z
      .object({
        name: folderNameSchema,
        volume: volumeNameSchema.optional(),
        quotaBytes: bytesSchema.default(0),
        cloneable: z.boolean().default(false),
        /** A group folder of this Unix group (the user must be in it). */
        group: groupNameSchema.optional(),
      })
      .strict(),
    result: agentFolderViewSchema,
  },
  /** Renames, sets the quota or the cloneable flag of a folder the user owns. */
  'folders.update': {
    params: z
      .object({
        name: folderNameSchema,
        rename: folderNameSchema.optional(),
        quotaBytes: bytesSchema.optional(),
        cloneable: z.boolean().optional(),
      })
      .strict(),
    result: agentFolderViewSchema,
  },
  /** Moves a folder to the trash (main first checks no running session mounts it). */
  'folders.trash': { params: nameRef, result: agentFolderViewSchema },
  'folders.restore': { params: nameRef, result: agentFolderViewSchema },
  /** Deletes a trashed folder, its files, project, quota and invitations. */
  'folders.purge': { params: nameRef, result: z.object({ id: z.string() }) },
  'folders.invite': {
    params: z
      .object({
        name: folderNameSchema,
        user: z.string().min(1).max(64),
        permission: z.enum(FOLDER_ACCESS),
      })
      .strict(),
    result: invitationViewSchema,
  },
  /** Accepts (optionally under another name) or rejects an invitation to the user. */
  'folders.respond': {
    params: z
      .object({
        invitation: folderIdSchema,
        accept: z.boolean(),
        as: folderNameSchema.optional(),
      })
      .strict(),
    result: invitationViewSchema,
  },
  /** The owner withdraws an invitation: a pending one, or an accepted one with its grant. */
  'folders.cancel': { params: invitationRef, result: invitationViewSchema },
  /** Drops the user's own grant to a folder shared with them; the data stays. */
  'folders.leave': { params: nameRef, result: z.object({ id: z.string() }) },
  /** Starts copying `source` into a new folder `target`; follow `folders.clone-progress`. */
  'folders.clone': {
    params: z
      .object({
        source: folderNameSchema,
        target: folderNameSchema,
        volume: volumeNameSchema.optional(),
      })
      .strict(),
    result: agentFolderViewSchema,
  },
  /** Stops a running clone; the half-made folder is removed. */
  'folders.clone-cancel': { params: nameRef, result: z.object({ canceled: z.boolean() }) },
  /**
   * The host paths of the folders a session mounts, checked against the user's permission
   * (`readOnly` forced for `ro`), plus every ready dot-folder the user owns.
   */
  'folders.mounts': {
    params: z
      .object({
        mounts: z
          .array(
            z.object({ name: folderNameSchema, readOnly: z.boolean().default(false) }).strict(),
          )
          .max(64),
      })
      .strict(),
    result: z.object({ mounts: z.array(folderMountSchema) }),
  },
} as const;

export const folderAgentTopics = {
  /** A clone's progress: one event at once, then as it copies, ending with done/failed/canceled. */
  'folders.clone-progress': { params: nameRef, event: cloneProgressSchema },
} as const;
