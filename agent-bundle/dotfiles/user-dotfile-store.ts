import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppFailure } from '../../common/contract/result';
import {
  applyDotfileChange,
  type DotfileChange,
  type DotfileChangeContext,
} from '../../common/dotfiles/dotfile-changes';
import type { DotfileEntry, DotfileStore } from '../../common/dotfiles/dotfile-store';
import { writeFileAtomic } from '../privileged/atomic-file';
import { withFileLock } from '../privileged/file-lock';
import { readDotfileStore } from './dotfile-store-file';

/** `~/.labdeck`: the user's own LabDeck state, theirs alone. */
const STATE_DIR_MODE = 0o700;
/** `~/.labdeck/dotfiles.json`: theirs alone (a dotfile may hold a token). */
const STORE_FILE_MODE = 0o600;

/** The user's dotfile store: `HOME/.labdeck/dotfiles.json`. */
export function userStorePath(home: string): string {
  return join(home, '.labdeck', 'dotfiles.json');
}

const USER_STORE_HINT =
  'Fix or remove the file on the host; LabDeck changes nothing rather than guess.';

/** The user's store, empty when they have none yet. */
export function readUserStore(home: string): Promise<DotfileStore> {
  return readDotfileStore(userStorePath(home), {
    damaged: USER_STORE_HINT,
    unreadable: USER_STORE_HINT,
  });
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
