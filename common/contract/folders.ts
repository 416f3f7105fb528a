import * as z from 'zod';
import { folderAgentMethods, folderListSchema } from '../agent/folder-agent';
import {
  agentFolderViewSchema,
  cloneProgressSchema,
  invitationViewSchema,
} from '../folders/folder-view';
import type { RequestSpec, TopicSpec } from './specs';

/**
 * Requests and topics of folders (issue 12): each is the agent's `folders.*` method of the same
 * name on one host, named by `hostId` (id or name). Main adds the host; `folders:trash` first
 * refuses a folder a running session mounts, naming the session.
 */

const hostId = { hostId: z.string().min(1) };

/**
 * The agent method's params with the host added. Generic over the method's own shape (not the
 * method's name), so each request's input type keeps its fields.
 */
function onHost<Shape extends z.ZodRawShape>(params: z.ZodObject<Shape>) {
  return params.extend(hostId).strict();
}

/** A folder as the window and `folder ls --json` see it: the agent's view and its host. */
export const folderViewSchema = agentFolderViewSchema.extend({ host: z.string() });
export type FolderView = z.infer<typeof folderViewSchema>;

export const foldersRequests = {
  'folders:list': {
    input: z.object(hostId).strict(),
    output: folderListSchema.extend({ folders: z.array(folderViewSchema) }),
    summary:
      "A host's folders you can see (yours, your groups', shared with you), invitations to and from you, and its volumes.",
  },
  'folders:create': {
    input: onHost(folderAgentMethods['folders.create'].params),
    output: folderViewSchema,
    summary: 'Makes a folder on a storage volume, with an optional quota, private to you.',
  },
  'folders:update': {
    input: onHost(folderAgentMethods['folders.update'].params),
    output: folderViewSchema,
    summary: 'Renames a folder of yours, or sets its quota or whether others may clone it.',
  },
  'folders:trash': {
    input: onHost(folderAgentMethods['folders.trash'].params),
    output: folderViewSchema,
    summary: 'Moves a folder to the trash, unless a running session mounts it.',
  },
  'folders:restore': {
    input: onHost(folderAgentMethods['folders.restore'].params),
    output: folderViewSchema,
    summary: 'Takes a folder back out of the trash.',
  },
  'folders:purge': {
    input: onHost(folderAgentMethods['folders.purge'].params),
    output: z.object({ id: z.string() }),
    summary: 'Deletes a trashed folder for good: its files, quota and invitations.',
  },
  'folders:invite': {
    input: onHost(folderAgentMethods['folders.invite'].params),
    output: invitationViewSchema,
    summary:
      'Invites a user of the host to a folder of yours, read-only, read-write or read-write-delete.',
  },
  'folders:respond': {
    input: onHost(folderAgentMethods['folders.respond'].params),
    output: invitationViewSchema,
    summary: 'Accepts (optionally under another name) or rejects an invitation to you.',
  },
  'folders:cancel': {
    input: onHost(folderAgentMethods['folders.cancel'].params),
    output: invitationViewSchema,
    summary: 'Withdraws an invitation you sent; an accepted one takes its access back.',
  },
  'folders:leave': {
    input: onHost(folderAgentMethods['folders.leave'].params),
    output: z.object({ id: z.string() }),
    summary: 'Leaves a folder shared with you; its data and other members are untouched.',
  },
  'folders:clone': {
    input: onHost(folderAgentMethods['folders.clone'].params),
    output: folderViewSchema,
    summary: 'Starts copying a folder into a new one you own; follow folders:clone-progress.',
  },
  'folders:clone-cancel': {
    input: onHost(folderAgentMethods['folders.clone-cancel'].params),
    output: z.object({ canceled: z.boolean() }),
    summary: 'Stops a running clone and removes the half-made folder.',
  },
} as const satisfies Record<string, RequestSpec>;

export const foldersTopics = {
  'folders:clone-progress': {
    params: z.object({ ...hostId, name: z.string().min(1).max(64) }).strict(),
    event: cloneProgressSchema,
    summary: "A clone's bytes copied of the total, until it is done, failed or canceled.",
  },
} as const satisfies Record<string, TopicSpec>;
