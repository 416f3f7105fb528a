import * as z from 'zod';
import {
  dotfileContextSchema,
  dotfileDocumentSchema,
  dotfileModeInputSchema,
  dotfilePreviewSchema,
  dotfileScopeFields,
  dotfileSummarySchema,
} from '../dotfiles/dotfile-store';
import { groupNameSchema } from '../host-setup/privileged-ops';

/**
 * The agent's `dotfiles.*` methods (issue 13): the user's own level is read and written by the
 * agent in their home; group and lab levels are read from `/var/lib/labdeck/dotfiles/` (readable
 * by the group, by everyone) and written through the privileged helper. Every write is checked
 * with `validateDotfile` and the per-owner limits, and refused on a stale `baseRevision`.
 */

/** A path as typed; `validateDotfile` checks it (the schema only bounds it). */
const pathSchema = z.string().max(4096);
const scoped = z.object({ ...dotfileScopeFields, path: pathSchema });

export const dotfileAgentMethods = {
  /** Who the user is here, their groups, which levels they may change, the host's extra paths. */
  'dotfiles.context': { params: z.object({}).strict(), result: dotfileContextSchema },
  /**
   * The dotfiles of one level, or (no scope) of every level that applies to the user: their own,
   * each of their groups', the lab's.
   */
  'dotfiles.list': {
    params: z
      .object({ ...dotfileScopeFields, scope: dotfileScopeFields.scope.optional() })
      .strict(),
    result: z.object({ files: z.array(dotfileSummarySchema) }),
  },
  /** One file with its text (`dotfile-not-found` when the level has no such file). */
  'dotfiles.read': { params: scoped.strict(), result: dotfileDocumentSchema },
  /**
   * Sets one file. `baseRevision`: the revision the editor started from (null: the file must not
   * exist yet); a file changed meanwhile is refused with `dotfile-conflict`. Absent: overwrite.
   */
  'dotfiles.set': {
    params: scoped
      .extend({
        content: z.string().max(1_048_576),
        mode: dotfileModeInputSchema.optional(),
        baseRevision: z.number().int().min(1).nullable().optional(),
      })
      .strict(),
    result: dotfileSummarySchema,
  },
  /** Removes one file; `baseRevision` as for `dotfiles.set`. Answers the removed file. */
  'dotfiles.remove': {
    params: scoped.extend({ baseRevision: z.number().int().min(1).optional() }).strict(),
    result: dotfileSummarySchema,
  },
  /**
   * The merged set a new session gets for `group` (default: the primary group; the user must be
   * in it): one entry per path from the level that wins. `content: true` adds the texts.
   */
  'dotfiles.preview': {
    params: z
      .object({ group: groupNameSchema.optional(), content: z.boolean().default(false) })
      .strict(),
    result: dotfilePreviewSchema,
  },
} as const;
