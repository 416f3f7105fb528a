import * as z from 'zod';

/** The shape of host setup's undo record (agent-bundle/setup/setup-record.ts). */

const statSchema = z.object({
  mode: z.number().int(),
  uid: z.number().int(),
  gid: z.number().int(),
});

/** One thing setup changed, and what undo puts back. */
export const recordEntrySchema = z.discriminatedUnion('kind', [
  /** A directory setup created (`before: absent`) or whose mode it changed. */
  z.object({
    kind: z.literal('dir'),
    path: z.string(),
    before: z.union([z.literal('absent'), statSchema]),
  }),
  /**
   * A file setup wrote: absent before, or replaced (its bytes kept under `backup`). `wrote` is the
   * sha256 of what setup last wrote there: a file changed since (an admin's edit) is kept by undo.
   */
  z.object({
    kind: z.literal('file'),
    path: z.string(),
    before: z.union([z.literal('absent'), statSchema.extend({ backup: z.string() })]),
    wrote: z.string().optional(),
  }),
  /** The Unix group setup created. */
  z.object({ kind: z.literal('group'), name: z.string() }),
]);
export type RecordEntry = z.infer<typeof recordEntrySchema>;

/** The record file: its entries in the order setup made them. */
export const recordFileSchema = z.object({
  version: z.literal(1),
  entries: z.array(recordEntrySchema),
});
