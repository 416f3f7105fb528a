import * as z from 'zod';
import {
  dotfileGroupStoreSchema,
  dotfileModeInputSchema,
  dotfileSummarySchema,
} from '../dotfiles/dotfile-store';
import {
  FOLDER_ACCESS,
  folderRefSchema,
  groupNameSchema,
  stateNameSchema,
  stateValueSchema,
  uidSchema,
} from '../host-setup/privileged-ops';
import { privilegedContract, type AgentContract } from './agent-contract';
import { emptyParamsSchema } from './agent-protocol';
import { privilegedFolderMethods } from './privileged-folder-contract';

/** Result of `privileged.ping`: who the helper runs as and for whom, to check the sudo rule. */
export const privilegedPingSchema = z.object({
  pid: z.number().int(),
  euid: z.number().int(),
  /** The user sudo ran it for (`SUDO_UID`); 0 when root ran it directly. */
  callerUid: z.number().int(),
  version: z.string(),
  /** The system root it serves: `/` on a real host, a test root in tests. */
  root: z.string(),
});

/** A folder's XFS project as recorded in /etc/projid and /etc/projects. */
const projectSchema = z.object({
  projectId: z.number().int().positive(),
  projectName: z.string(),
  /** The folder's real path, as /etc/projects names it. */
  path: z.string(),
  /** Entries inside left as they were: other users own them (a grantee's files). */
  skipped: z.number().int().nonnegative(),
});

const byteLimitSchema = z
  .number()
  .int()
  .min(0)
  .max(Number.MAX_SAFE_INTEGER)
  .describe('bytes; 0 removes the limit');

/**
 * A group's or the lab's dotfile to set or remove. The path, mode and content are only bounded here:
 * the helper checks them with `validateDotfile` (and the host's extra system paths), so every
 * problem is named at once, in the words the form and the CLI use.
 */
export const dotfileWriteParamsSchema = z
  .object({
    scope: z.enum(['group', 'domain']),
    /** The Unix group, for scope `group` (and only then). */
    group: groupNameSchema.optional(),
    path: z.string().max(4096),
    /** The new text; null removes the file. */
    content: z.string().max(1_048_576).nullable(),
    mode: dotfileModeInputSchema.optional(),
    /** The revision the editor opened (null: must not exist yet); absent overwrites. */
    baseRevision: z.number().int().min(1).nullable().optional(),
  })
  .strict()
  .superRefine((params, context) => {
    if (params.scope === 'group' && params.group === undefined)
      context.addIssue({ code: 'custom', path: ['group'], message: 'is required for scope group' });
    if (params.scope === 'domain' && params.group !== undefined)
      context.addIssue({ code: 'custom', path: ['group'], message: 'is only for scope group' });
  });
export type DotfileWriteParams = z.infer<typeof dotfileWriteParamsSchema>;

/**
 * The privileged helper's (`--privileged`) methods: its own set, sharing none with the user
 * agent, so a user's call can never reach a root-only method through the daemon, nor the helper
 * answer `gpu.*`. Every params schema is strict: an unknown field is refused, not ignored.
 * docs/privileged-helper.md says who may call each and how refusals read.
 */
export const privilegedHelperContract = {
  methods: {
    ...privilegedContract.methods,
    'privileged.ping': { params: emptyParamsSchema, result: privilegedPingSchema },
    /** Gives a folder its own XFS project (the same one on a second call). Owner or root. */
    'privileged.project.assign': { params: folderRefSchema, result: projectSchema },
    /** Takes a folder's project away again; `projectId` null when it had none. Owner or root. */
    'privileged.project.release': {
      params: folderRefSchema,
      result: z.object({ projectId: z.number().int().positive().nullable() }),
    },
    /** Sets the hard block limit of a folder's project (XFS with prjquota). Owner or root. */
    'privileged.quota.set': {
      params: folderRefSchema.extend({ bytes: byteLimitSchema }).strict(),
      result: z.object({ projectId: z.number().int().positive(), bytes: z.number().int() }),
    },
    /** Lets another user into a folder through a POSIX ACL. Owner or root. */
    'privileged.acl.grant': {
      params: folderRefSchema.extend({ uid: uidSchema, access: z.enum(FOLDER_ACCESS) }).strict(),
      result: z.object({
        path: z.string(),
        uid: z.number().int(),
        access: z.enum(FOLDER_ACCESS),
        skipped: z.number().int(),
      }),
    },
    /** Removes a user's ACL entries: the owner, root, or that user leaving (uid = caller). */
    'privileged.acl.revoke': {
      params: folderRefSchema.extend({ uid: uidSchema }).strict(),
      result: z.object({ path: z.string(), uid: z.number().int(), skipped: z.number().int() }),
    },
    /** Writes the caller's lab-wide state entry `name` (world-readable, only its owner writes). */
    'privileged.state.write': {
      params: z.object({ name: stateNameSchema, value: stateValueSchema }).strict(),
      result: z.object({ path: z.string(), bytes: z.number().int() }),
    },
    /** Removes the caller's lab-wide state entry `name`. */
    'privileged.state.remove': {
      params: z.object({ name: stateNameSchema }).strict(),
      result: z.object({ removed: z.boolean() }),
    },
    /**
     * Sets (or, content null, removes) one lab or group dotfile: the lab's admins, or that
     * group's, or root. Answers the file as written (a removal: as it was).
     */
    'privileged.dotfile.write': { params: dotfileWriteParamsSchema, result: dotfileSummarySchema },
    /**
     * A group's dotfiles with their texts, for a caller the store's mode would refuse though they
     * may read it: a member whose agent started before they joined (the user database says
     * member, the agent's process lacks the group), or an admin of the group who is not in it.
     * Its members (per the user database), its admins, or root.
     */
    'privileged.dotfile.read': {
      params: z.object({ group: groupNameSchema }).strict(),
      result: dotfileGroupStoreSchema,
    },
    ...privilegedFolderMethods,
  },
  topics: { ...privilegedContract.topics },
} as const satisfies AgentContract;
/** The type of {@link privilegedHelperContract}. */
export type PrivilegedHelperContract = typeof privilegedHelperContract;
