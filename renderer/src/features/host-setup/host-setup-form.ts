import type { ZodType } from 'zod';
import { hostSetupRequests } from '../../../../common/contract/host-setup';
import { volumeNameSchema, volumeSchema } from '../../../../common/host-setup/lab-config';
import type { SetupStatus } from '../../../../common/host-setup/setup-status';
import type { SetupRequest } from './host-setup-store';

/** One volume row as typed. */
export interface VolumeRow {
  readonly name: string;
  readonly path: string;
}

/** The setup form as typed: the lab's name and the volumes to add or update. */
export interface HostSetupFormValues {
  readonly lab: string;
  readonly volumes: readonly VolumeRow[];
}

/** Errors by field: `lab`, `volumes.I.name`, `volumes.I.path`. */
export type HostSetupFormErrors = Readonly<Record<string, readonly string[]>>;

/** A new volume row. */
export const EMPTY_VOLUME_ROW: VolumeRow = { name: '', path: '' };

/** The lab name's rule, as `hosts:setup` parses it (trimmed, 1–64 characters). */
const labSchema = hostSetupRequests['hosts:setup'].input.shape.lab.unwrap();
/** A volume's path as the configuration accepts it: absolute, normalized, not `/`. */
const volumePathSchema = volumeSchema.shape.path;

/**
 * The form as it opens: the lab the host's configuration names (so a run changes nothing unless
 * the user edits it), and no volume rows — setup only adds or updates the volumes it is given.
 */
export function hostSetupFormFrom(status: SetupStatus | null): HostSetupFormValues {
  return { lab: status?.config.lab ?? '', volumes: [] };
}

/** A row the user has not typed into: left out of the check and of the request. */
function blankRow(row: VolumeRow): boolean {
  return row.name.trim() === '' && row.path.trim() === '';
}

/** The messages of a failed schema check, or none. */
function problems(schema: ZodType, value: string): string[] {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
}

/**
 * Checks the form with the rules main and the lab configuration apply (common/host-setup/
 * lab-config.ts's volume name and path, the contract's lab name), plus the configuration's
 * "declared twice" checks, and gives either the request or every error by field. Blank rows are
 * left out; an empty lab keeps the one the host has.
 */
export function checkHostSetupForm(
  values: HostSetupFormValues,
): { ok: true; request: Omit<SetupRequest, 'mode'> } | { ok: false; errors: HostSetupFormErrors } {
  const errors: Record<string, string[]> = {};
  const add = (field: string, messages: readonly string[]): void => {
    if (messages.length > 0) (errors[field] ??= []).push(...messages);
  };
  const lab = values.lab.trim();
  if (lab !== '') add('lab', problems(labSchema, lab));

  const names = new Map<string, number>();
  const paths = new Map<string, number>();
  const volumes: VolumeRow[] = [];
  values.volumes.forEach((row, i) => {
    if (blankRow(row)) return;
    const name = row.name.trim();
    const path = row.path.trim();
    add(`volumes.${i}.name`, name === '' ? ['a name is needed'] : problems(volumeNameSchema, name));
    add(`volumes.${i}.path`, path === '' ? ['a path is needed'] : problems(volumePathSchema, path));
    const sameName = names.get(name);
    if (name !== '' && sameName !== undefined)
      add(`volumes.${i}.name`, [`"${name}" is already volume ${sameName + 1}`]);
    const samePath = paths.get(path);
    if (path !== '' && samePath !== undefined)
      add(`volumes.${i}.path`, [`${path} is already volume ${samePath + 1}`]);
    if (!names.has(name)) names.set(name, i);
    if (!paths.has(path)) paths.set(path, i);
    volumes.push({ name, path });
  });

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request: { volumes, ...(lab === '' ? {} : { lab }) } };
}
