import { validateFolderName } from '../../../../common/folder-names';
import type { FolderView } from '../../../../common/contract/folders';
import type { RequestInput } from '../../../../common/contract/contract';
import type { AppError } from '../../../../common/contract/result';
import { groupNameSchema } from '../../../../common/host-setup/privileged-ops';
import { parseByteSize } from '../../../../common/session-fields';

/**
 * The folder dialogs' fields, checked as they are typed with the rules the agent and the helper
 * apply (common/folder-names.ts, common/session-fields.ts), each error for the field it is about.
 */

/** Errors by field name; a field without errors is absent. */
export type FolderFormErrors = Readonly<Record<string, readonly string[]>>;

/**
 * What is wrong with a folder name, or undefined: the shared name rule first, then the clash
 * with a folder the user already sees on that host under that name (`except` is the folder
 * being renamed, which may keep its name).
 */
export function folderNameProblem(
  name: string,
  visible: readonly Pick<FolderView, 'name'>[],
  except?: string,
): string | undefined {
  const checked = validateFolderName(name);
  if (!checked.ok) return `The name ${checked.message}.`;
  if (name !== except && visible.some((folder) => folder.name === name))
    return `You already have a folder named "${name}" on this host: choose another name.`;
  return undefined;
}

/** A quota as typed: empty for none, else bytes or `512m`, `10g`, `2TiB`; or why it is not one. */
export function parseQuota(
  text: string,
): { ok: true; bytes: number } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, bytes: 0 };
  const bytes = parseByteSize(text);
  if (bytes === undefined)
    return {
      ok: false,
      message: `"${text.trim()}" is not a size: use bytes, or 512m, 10g, 2TiB (empty for no limit).`,
    };
  return { ok: true, bytes };
}

/** The New folder form as typed. */
export interface NewFolderValues {
  readonly name: string;
  readonly volume: string;
  readonly quota: string;
  readonly cloneable: boolean;
  /** A Unix group to make it a group folder of; empty for a folder of one's own. */
  readonly group: string;
}

/** The create request without its host. */
export type NewFolderInput = Omit<RequestInput<'folders:create'>, 'hostId'>;

/** Checks the New folder form: the request, or every error by field. */
export function checkNewFolder(
  values: NewFolderValues,
  visible: readonly Pick<FolderView, 'name'>[],
): { ok: true; input: NewFolderInput } | { ok: false; errors: FolderFormErrors } {
  const errors: Record<string, string[]> = {};
  const name = folderNameProblem(values.name, visible);
  if (name !== undefined) errors.name = [name];
  if (values.volume === '')
    errors.volume = ['This host declares no storage volume: run host setup with --volume.'];
  const quota = parseQuota(values.quota);
  if (!quota.ok) errors.quota = [quota.message];
  const group = values.group.trim();
  if (group !== '' && !groupNameSchema.safeParse(group).success)
    errors.group = [`"${group}" is not a Unix group name: lowercase letters, digits, "_" and "-".`];
  if (Object.keys(errors).length > 0 || !quota.ok) return { ok: false, errors };
  return {
    ok: true,
    input: {
      name: values.name,
      volume: values.volume,
      quotaBytes: quota.bytes,
      cloneable: values.cloneable,
      ...(group === '' ? {} : { group }),
    },
  };
}

/** A quota in the form's own words: `10g` for 10 GiB, bytes when not a whole unit, empty for none. */
export function quotaText(bytes: number): string {
  if (bytes === 0) return '';
  for (const [unit, size] of [
    ['t', 1024 ** 4],
    ['g', 1024 ** 3],
    ['m', 1024 ** 2],
    ['k', 1024],
  ] as const)
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  return String(bytes);
}

/** What is wrong with a user name typed to invite, or undefined. */
export function inviteeProblem(user: string, owner: string): string | undefined {
  const trimmed = user.trim();
  if (trimmed === '') return 'Name the user to invite (their login on this host).';
  if (trimmed === owner) return 'You own the folder already: invite someone else.';
  if (!/^[a-z_][a-z0-9_.-]*\$?$/i.test(trimmed) || trimmed.length > 64)
    return `"${trimmed}" is not a user name: letters, digits, "_", "-" and ".".`;
  return undefined;
}

/** Error codes about the name typed: shown beside the name field rather than under the form. */
const NAME_ERROR_CODES = new Set(['folder-name-taken', 'invalid-folder-name', 'invalid-input']);

/** A service's refusal in words for beside the field, or null when it belongs under the form. */
export function fieldError(error: AppError): string | null {
  if (!NAME_ERROR_CODES.has(error.code)) return null;
  return error.hint ? `${error.message} ${error.hint}` : error.message;
}
