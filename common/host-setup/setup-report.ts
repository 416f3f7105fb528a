import * as z from 'zod';
import { absolutePathSchema, volumeNameSchema } from './lab-config';

/**
 * What `labdeck host setup` asks for and what it answers (issue 11). The request travels from
 * main to the agent bundle's `setup` entry (run as root) as one JSON argument; the report comes
 * back on its stdout and is what the CLI prints and the window lists.
 */

/** What one run does: set up, print the plan only, or take setup back. */
export const SETUP_MODES = ['setup', 'dry-run', 'undo'] as const;
export type SetupMode = (typeof SETUP_MODES)[number];

/** `--volume NAME=PATH`: PATH must be an existing directory; its kind is found from the mount. */
export const volumeRequestSchema = z
  .object({ name: volumeNameSchema, path: absolutePathSchema })
  .strict();
export type VolumeRequest = z.infer<typeof volumeRequestSchema>;

/** The setup entry's input. */
export const hostSetupRequestSchema = z
  .object({
    mode: z.enum(SETUP_MODES),
    /**
     * Every system path goes under it (`--root`; tests). Absent: the setup entry's
     * `LABDECK_SYSTEM_ROOT`, else `/` (sudo drops the variable, so a real host gets `/`).
     */
    root: absolutePathSchema.optional(),
    lab: z.string().trim().min(1).max(64).optional(),
    volumes: z.array(volumeRequestSchema).max(64).default([]),
  })
  .strict();
export type HostSetupRequest = z.input<typeof hostSetupRequestSchema>;

/**
 * One change, in the order setup makes it: `done` it was made now, `unchanged` it was already
 * so, `planned` a dry run would make it, `restored`/`removed` undo put back or took away what
 * setup had done, `kept` undo left it (it holds what others wrote since).
 */
export const setupChangeSchema = z.object({
  status: z.enum(['done', 'unchanged', 'planned', 'restored', 'removed', 'kept']),
  /** In words, for a person: `create /var/lib/labdeck (0755 root)`. */
  title: z.string(),
  path: z.string().optional(),
  detail: z.string().optional(),
});
export type SetupChange = z.infer<typeof setupChangeSchema>;

/** What setup checked and did not change: Docker, the NVIDIA toolkit, each volume's mount. */
export const setupCheckSchema = z.object({
  check: z.enum(['docker', 'nvidia-toolkit', 'volume', 'group-members', 'sudo']),
  title: z.string(),
  status: z.enum(['pass', 'warn', 'fail']),
  detail: z.string(),
  /** The command that fixes it: setup installs nothing from the internet on its own. */
  fix: z.string().optional(),
});
export type SetupCheck = z.infer<typeof setupCheckSchema>;

/** The setup entry's answer. */
export const hostSetupReportSchema = z.object({
  mode: z.enum(SETUP_MODES),
  root: z.string(),
  /** The LabDeck version that was installed (or would be, or was taken back). */
  version: z.string(),
  /** False: nothing needed doing (a second run), or a dry run. */
  changed: z.boolean(),
  changes: z.array(setupChangeSchema),
  checks: z.array(setupCheckSchema),
});
export type HostSetupReport = z.infer<typeof hostSetupReportSchema>;
