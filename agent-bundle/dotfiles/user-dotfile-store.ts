import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppFailure } from '../../common/contract/result';
import { describeIssues } from '../../common/contract/validation';
import {
  applyDotfileChange,
  type DotfileChange,
  type DotfileChangeContext,
} from '../../common/dotfiles/dotfile-changes';
import {
  dotfileStoreSchema,
  EMPTY_DOTFILE_STORE,
  type DotfileEntry,
  type DotfileStore,
} from '../../common/dotfiles/dotfile-store';
import { readIfExists, writeFileAtomic } from '../privileged/atomic-file';
import { withFileLock } from '../privileged/file-lock';

/** `~/.labdeck`: the user's own LabDeck state, theirs alone. */
const STATE_DIR_MODE = 0o700;
/** `~/.labdeck/dotfiles.json`: theirs alone (a dotfile may hold a token). */
const STORE_FILE_MODE = 0o600;

/** The user's dotfile store: `HOME/.labdeck/dotfiles.json`. */
export function userStorePath(home: string): string {
  return join(home, '.labdeck', 'dotfiles.json');
}

/**
 * Reads a store's file: empty when there is none, `dotfile-store-invalid` (naming the file and
 * what is wrong) when it does not parse, `dotfile-store-unreadable` when it cannot be read.
 */
export async function readDotfileStore(path: string, hint: string): Promise<DotfileStore> {
  let text: string | undefined;
  try {
    text = await readIfExists(path, (file) => readFile(file, 'utf8'));
  } catch (error) {
    throw new AppFailure({
      code: 'dotfile-store-unreadable',
      message: `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
      hint,
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
      hint,
    });
  }
  const parsed = dotfileStoreSchema.safeParse(json);
  if (!parsed.success)
    throw new AppFailure({
      code: 'dotfile-store-invalid',
      message: `${path} is not a valid dotfile store (${describeIssues(parsed.error)}); LabDeck left it as it is.`,
      hint,
    });
  return parsed.data;
}

const USER_STORE_HINT =
  'Fix or remove the file on the host; LabDeck changes nothing rather than guess.';

/** The user's store, empty when they have none yet. */
export function readUserStore(home: string): Promise<DotfileStore> {
  return readDotfileStore(userStorePath(home), USER_STORE_HINT);
}

/**
 * Applies `change` to the user's store under its lock file and replaces the file atomically
 * (0600, in `~/.labdeck` 0700); throws the change's refusal without writing anything. Answers the
 * file's entry (a removal: the entry removed).
 */
export async function changeUserStore(
  home: string,
  change: DotfileChange,
  context: DotfileChangeContext,
): Promise<DotfileEntry> {
  const path = userStorePath(home);
  const dir = join(home, '.labdeck');
  await mkdir(dir, { recursive: true, mode: STATE_DIR_MODE });
  await chmod(dir, STATE_DIR_MODE);
  return withFileLock(`${path}.lock`, async () => {
    const result = applyDotfileChange(await readUserStore(home), change, context);
    if (!result.ok) throw new AppFailure(result.error);
    await writeFileAtomic(path, `${JSON.stringify(result.store, null, 2)}\n`, STORE_FILE_MODE);
    return result.entry;
  });
}
