import * as z from 'zod';
import { DEFAULT_QUANTUM } from '../allocator';

/**
 * The lab's configuration on one host, `/etc/labdeck/config.json` (issue 11): written by host
 * setup, read by the agent, the privileged helper and main. One schema for all of them; a file
 * that does not parse is reported, never guessed at.
 */

/** The version this LabDeck writes; bump it together with a migration. */
export const LAB_CONFIG_VERSION = 1;

/** How a storage volume can hold folders: an XFS project per folder, or plain directories. */
export const VOLUME_KINDS = ['xfs-prjquota', 'xfs', 'plain'] as const;
export type VolumeKind = (typeof VOLUME_KINDS)[number];

/** An absolute, normalized path: no empty, `.` or `..` segment, no trailing slash, no NUL. */
export const absolutePathSchema = z
  .string()
  .max(4096)
  .refine(
    (path) =>
      path === '/' ||
      (path.startsWith('/') &&
        !path.includes('\0') &&
        path
          .slice(1)
          .split('/')
          .every((segment) => segment !== '' && segment !== '.' && segment !== '..')),
    'must be an absolute path without empty, "." or ".." parts',
  );

/** A volume's name, as users pick it: `scratch`, `data-2`. */
export const volumeNameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,31}$/,
    'must be 1–32 lowercase letters, digits or "-", not starting with "-"',
  );

/** A Unix user or group name (the portable set). */
const unixNameSchema = z.string().regex(/^[a-z_][a-z0-9_-]{0,31}\$?$/, 'must be a Unix name');

/** One storage volume folders live on. */
export const volumeSchema = z
  .object({
    name: volumeNameSchema,
    path: absolutePathSchema.refine((path) => path !== '/', 'must not be the root directory'),
    /** Detected from the mount when setup adds it: `xfs-prjquota` when project quota is on. */
    kind: z.enum(VOLUME_KINDS),
  })
  .strict();
export type Volume = z.infer<typeof volumeSchema>;

/** A GPU share quantum: a decimal string of a fraction of a GPU, 0.001 to 1. */
const quantumSchema = z
  .string()
  .regex(/^(0\.\d{1,3}|1(\.0{1,3})?)$/, 'must be a decimal from 0.001 to 1, such as "0.01"')
  .refine((value) => Number(value) > 0, 'must be more than 0');

/** `/etc/labdeck/config.json`. */
export const labConfigSchema = z
  .object({
    version: z.literal(LAB_CONFIG_VERSION),
    /** The lab's name, as lists and the lab-level dotfiles show it. */
    lab: z.string().trim().min(1).max(64),
    volumes: z.array(volumeSchema).max(64).default([]),
    /** The smallest GPU share a session may ask for. */
    gpuQuantum: quantumSchema.default(DEFAULT_QUANTUM),
    /** Container ports no service may declare (the lab's own, e.g. an SSH server in images). */
    reservedPorts: z.array(z.number().int().min(1).max(65535)).max(1024).default([]),
    /** Unix group → the users who may edit that group's dotfiles. */
    groupAdmins: z.record(unixNameSchema, z.array(unixNameSchema).max(256)).default({}),
    /** Users who may edit the lab-level dotfiles. */
    labAdmins: z.array(unixNameSchema).max(256).default([]),
    /**
     * System files group and lab dotfiles may set besides the built-in list (issue 13), such as
     * `/etc/screenrc`. Absent: none.
     */
    dotfileSystemPaths: z
      .array(absolutePathSchema.refine((path) => path !== '/', 'must name a file, not /'))
      .max(64)
      .optional(),
  })
  .strict()
  .superRefine((config, context) => {
    const names = new Set<string>();
    const paths = new Set<string>();
    config.volumes.forEach((volume, index) => {
      if (names.has(volume.name))
        context.addIssue({
          code: 'custom',
          path: ['volumes', index, 'name'],
          message: `volume "${volume.name}" is declared twice`,
        });
      if (paths.has(volume.path))
        context.addIssue({
          code: 'custom',
          path: ['volumes', index, 'path'],
          message: `${volume.path} is declared as two volumes`,
        });
      names.add(volume.name);
      paths.add(volume.path);
    });
    if (new Set(config.reservedPorts).size !== config.reservedPorts.length)
      context.addIssue({
        code: 'custom',
        path: ['reservedPorts'],
        message: 'a port is listed twice',
      });
  });
export type LabConfig = z.infer<typeof labConfigSchema>;

/** What one run of host setup asks to change. */
export interface LabConfigUpdate {
  readonly lab?: string;
  /** Added, or updated by name (a new path or kind). */
  readonly volumes?: readonly Volume[];
}

/** The merged configuration and, in words, what changed (empty: nothing to write). */
export interface LabConfigMerge {
  readonly config: LabConfig;
  readonly changes: readonly string[];
}

/**
 * Merges a setup run's `update` into the `current` file (absent on a fresh host): what the file
 * holds that the update does not name is kept, never overwritten blindly. A second run with the
 * same update reports no change. Throws when the result would not parse (a path already used by
 * another volume).
 */
export function mergeLabConfig(
  current: LabConfig | undefined,
  update: LabConfigUpdate,
  defaultLab: string,
): LabConfigMerge {
  const changes: string[] = [];
  const base: LabConfig =
    current ?? labConfigSchema.parse({ version: LAB_CONFIG_VERSION, lab: defaultLab });
  if (current === undefined) changes.push(`create the configuration for lab "${base.lab}"`);
  let lab = base.lab;
  if (update.lab !== undefined && update.lab !== base.lab) {
    changes.push(`rename the lab from "${base.lab}" to "${update.lab}"`);
    lab = update.lab;
  }
  const volumes = [...base.volumes];
  for (const volume of update.volumes ?? []) {
    const at = volumes.findIndex((known) => known.name === volume.name);
    const known = at === -1 ? undefined : volumes[at];
    if (known === undefined) {
      volumes.push(volume);
      changes.push(`add volume "${volume.name}" at ${volume.path} (${volume.kind})`);
    } else if (known.path !== volume.path || known.kind !== volume.kind) {
      volumes[at] = volume;
      changes.push(
        `update volume "${volume.name}": ${known.path} (${known.kind}) → ${volume.path} (${volume.kind})`,
      );
    }
  }
  const config = labConfigSchema.parse({ ...base, lab, volumes });
  return { config, changes };
}
