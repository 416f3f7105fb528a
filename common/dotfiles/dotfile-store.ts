import * as z from 'zod';
import { groupNameSchema } from '../host-setup/privileged-ops';

/**
 * How dotfiles are kept on a host (issue 13): one store per owner — a user's own
 * (`~/.labdeck/dotfiles.json`, theirs), a Unix group's (`/var/lib/labdeck/dotfiles/groups/G.json`,
 * root's, readable by the group) and the lab's (`/var/lib/labdeck/dotfiles/lab.json`, root's,
 * readable by everyone) — and the shapes the agent, main, the CLI and the window pass around.
 */

/** Which store a dotfile is in: the caller's own, one Unix group's, or the lab's ("domain"). */
export const dotfileScopeRefSchema = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('user') }).strict(),
  z.object({ scope: z.literal('group'), group: groupNameSchema }).strict(),
  z.object({ scope: z.literal('domain') }).strict(),
]);
export type DotfileScopeRef = z.infer<typeof dotfileScopeRefSchema>;

/** The scope fields of a request, spread into its params: `scope`, and `group` for a group's. */
export const dotfileScopeFields = {
  scope: z.enum(['user', 'group', 'domain']),
  group: groupNameSchema.optional(),
};

/** The schema's shape of a dotfile's mode: three octal digits. */
export const dotfileModeSchema = z.string().regex(/^[0-7]{3}$/, 'must be three octal digits');

/**
 * A mode as a request carries it, only bounded: `validateDotfile` checks it, so a bad mode is
 * named together with a bad path instead of the schema's refusal hiding every other field.
 */
export const dotfileModeInputSchema = z.string().max(16);

/** One dotfile as a store keeps it. */
export const dotfileEntrySchema = z
  .object({
    content: z.string(),
    mode: dotfileModeSchema,
    /** The store's revision when this file was last written: what a save's `baseRevision` names. */
    revision: z.number().int().min(1),
    /** ISO 8601. */
    updatedAt: z.string(),
    /** The Unix user who wrote it last. */
    updatedBy: z.string(),
  })
  .strict();
export type DotfileEntry = z.infer<typeof dotfileEntrySchema>;

/**
 * A store's file: its files by path, and a revision that grows with every write and is never
 * reused (so a removed and re-made file never matches an editor's stale revision).
 */
export const dotfileStoreSchema = z
  .object({
    version: z.literal(1),
    revision: z.number().int().min(0),
    files: z.record(z.string(), dotfileEntrySchema),
  })
  .strict();
export type DotfileStore = z.infer<typeof dotfileStoreSchema>;

/** An empty store, as a missing file reads. */
export const EMPTY_DOTFILE_STORE: DotfileStore = { version: 1, revision: 0, files: {} };

/** One dotfile as lists show it (`dotfile ls --json` prints the first six keys). */
export const dotfileSummarySchema = z.object({
  scope: z.enum(['user', 'group', 'domain']),
  /** The group of a group-level file; null at user and domain level. */
  group: z.string().nullable(),
  path: z.string(),
  mode: z.string(),
  bytes: z.number().int().min(0),
  updatedAt: z.string(),
  updatedBy: z.string(),
  revision: z.number().int().min(1),
});
export type DotfileSummary = z.infer<typeof dotfileSummarySchema>;

/** One dotfile with its text, as an editor opens it. */
export const dotfileDocumentSchema = dotfileSummarySchema.extend({ content: z.string() });
export type DotfileDocument = z.infer<typeof dotfileDocumentSchema>;

/**
 * One file of the merged set a new session gets (`dotfile preview --json` prints the first five
 * keys): the level that wins (user over group over domain) and the levels it hides.
 */
export const dotfilePreviewEntrySchema = z.object({
  path: z.string(),
  scope: z.enum(['user', 'group', 'domain']),
  group: z.string().nullable(),
  mode: z.string(),
  bytes: z.number().int().min(0),
  /** Lower levels that set the same path and lose to this one. */
  overrides: z.array(
    z.object({ scope: z.enum(['group', 'domain']), group: z.string().nullable() }),
  ),
  /** The text; present only when asked for (a session start asks). */
  content: z.string().optional(),
});
export type DotfilePreviewEntry = z.infer<typeof dotfilePreviewEntrySchema>;

/**
 * One group's store as the privileged helper answers `privileged.dotfile.read`: its revision and
 * every file with its text, by path.
 */
export const dotfileGroupStoreSchema = z.object({
  revision: z.number().int().min(0),
  files: z.array(dotfileDocumentSchema),
});
export type DotfileGroupStore = z.infer<typeof dotfileGroupStoreSchema>;

/** The merged set for one group: what a session started with `--group GROUP` gets. */
export const dotfilePreviewSchema = z.object({
  /** The group whose dotfiles apply (the user's primary group unless one was asked for). */
  group: z.string(),
  files: z.array(dotfilePreviewEntrySchema),
});
export type DotfilePreview = z.infer<typeof dotfilePreviewSchema>;

/** What a user may do with dotfiles on a host, for the window's pickers and the CLI's checks. */
export const dotfileContextSchema = z.object({
  user: z.string(),
  primaryGroup: z.string(),
  /** Every group the user is in, the primary first. */
  groups: z.array(z.string()),
  /** Whether the host has a lab configuration (group and lab levels need host setup). */
  configured: z.boolean(),
  lab: z.string().nullable(),
  /** Whether the user may change the lab's dotfiles. */
  domainAdmin: z.boolean(),
  /** The groups whose dotfiles the user may change. */
  groupAdmin: z.array(z.string()),
  /** System files the host's configuration allows besides the built-in list. */
  systemPaths: z.array(z.string()),
});
export type DotfileContext = z.infer<typeof dotfileContextSchema>;

/** What a session start did with the dotfiles: written, and skipped with why. */
export const dotfileReportSchema = z.object({
  group: z.string(),
  /** Files written into the container. */
  written: z.number().int().min(0),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
});
export type DotfileReport = z.infer<typeof dotfileReportSchema>;
