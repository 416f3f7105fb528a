import { readFile } from 'node:fs/promises';
import { AppFailure } from '../../common/contract/result';
import { describeIssues } from '../../common/contract/validation';
import {
  dotfileStoreSchema,
  EMPTY_DOTFILE_STORE,
  type DotfileStore,
} from '../../common/dotfiles/dotfile-store';
import { readIfExists } from '../privileged/atomic-file';

/**
 * Reading one dotfile store's file (issue 13), the same for the agent (the user's own store, and
 * group and lab stores as the user) and the privileged helper (group and lab stores as root), so
 * a damaged store is named in the same words whoever reads it.
 */

/** The fix for a damaged group or lab store: root's files, so an admin's. */
export const SHARED_STORE_DAMAGED_HINT =
  'An admin can fix or remove the file on the host; LabDeck changes nothing rather than guess.';

/** What to tell the user when the file is damaged or cannot be read, and what to do on EACCES. */
export interface StoreFileOptions {
  /** The hint of `dotfile-store-invalid`. */
  readonly damaged: string;
  /** The hint of `dotfile-store-unreadable`. */
  readonly unreadable: string;
  /** Another way to the store when the file's mode refuses this process (EACCES). */
  readonly denied?: () => Promise<DotfileStore>;
}

/**
 * Reads a store's file: empty when there is none, `dotfile-store-invalid` (naming the file and
 * what is wrong) when it does not parse, `dotfile-store-unreadable` when it cannot be read
 * (`options.denied` answers instead when the file's mode refuses this process).
 */
export async function readDotfileStore(
  path: string,
  options: StoreFileOptions,
): Promise<DotfileStore> {
  let text: string | undefined;
  try {
    text = await readIfExists(path, (file) => readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' && options.denied !== undefined) return options.denied();
    throw new AppFailure({
      code: 'dotfile-store-unreadable',
      message: `${path} cannot be read (${code ?? String(error)}).`,
      hint: options.unreadable,
    });
  }
  if (text === undefined) return EMPTY_DOTFILE_STORE;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppFailure({
      code: 'dotfile-store-invalid',
      message: `${path} is not JSON; LabDeck left it as it is.`,
      hint: options.damaged,
    });
  }
  const parsed = dotfileStoreSchema.safeParse(json);
  if (!parsed.success)
    throw new AppFailure({
      code: 'dotfile-store-invalid',
      message: `${path} is not a valid dotfile store (${describeIssues(parsed.error)}); LabDeck left it as it is.`,
      hint: options.damaged,
    });
  return parsed.data;
}
