import * as z from 'zod';
import { sshHostConfigSchema } from './host-config';
import { hostSummarySchema } from './host-summary';

/**
 * What importing `~/.ssh/config` would do and did: the preview lists every host the file names,
 * as LabDeck would add it, so the user picks before anything is written.
 */

/** A host left out or imported with a caveat, and why, in words. */
export const importNoteSchema = z.object({ host: z.string(), reason: z.string() });
export type ImportNote = z.infer<typeof importNoteSchema>;

/** One hop of a candidate's jump chain: the name the file gives it and where it leads. */
export const importHopSchema = z.object({
  /** As the ProxyJump value writes it (`lab-direct`), or the address when it names none. */
  name: z.string(),
  user: z.string(),
  hostname: z.string(),
  port: z.number().int(),
});
export type ImportHop = z.infer<typeof importHopSchema>;

/** A host LabDeck has under the same name, and how it differs from the file's. */
export const importExistingSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** One sentence per setting that differs, e.g. `port: 22 in LabDeck, 2222 in the file`. */
  differences: z.array(z.string()),
});

/** A host the file names that LabDeck can add, exactly as it would be added. */
export const importCandidateSchema = z.object({
  host: sshHostConfigSchema.omit({ id: true }),
  /** The jump chain, first hop first, with the file's names for the hops. */
  via: z.array(importHopSchema),
  /** Settings of this host LabDeck ignores or could not decide (a `Match exec`), in words. */
  notes: z.array(z.string()),
  /** Null when the host is new. */
  existing: importExistingSchema.nullable(),
});
export type ImportCandidate = z.infer<typeof importCandidateSchema>;

/** `hosts:preview-import`: what the file holds, before anything is added. */
export const importPreviewSchema = z.object({
  /** The file read, as the user knows it (`~/.ssh/config`). */
  file: z.string(),
  candidates: z.array(importCandidateSchema),
  /** Hosts the file names that LabDeck cannot add, each with why. */
  skipped: z.array(importNoteSchema),
  /** Lines that concern no single host (an unclosed quote, a Match line ssh refuses). */
  fileNotes: z.array(z.string()),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;

/** `hosts:import-ssh-config`: what was added, and what was not and why. */
export const importReportSchema = z.object({
  added: z.array(hostSummarySchema),
  skipped: z.array(importNoteSchema),
  /** Imported, but with settings LabDeck ignores (e.g. a CertificateFile). */
  warnings: z.array(importNoteSchema),
});
export type ImportReport = z.infer<typeof importReportSchema>;
