import { mkdir, readFile } from 'node:fs/promises';
import { AppFailure } from '../../common/contract/result';
import { describeIssues } from '../../common/contract/validation';
import {
  emptyFolderStore,
  folderStoreSchema,
  type FolderStore,
} from '../../common/folders/folder-store';
import { readIfExists, writeFileAtomic } from './atomic-file';
import { withFileLock } from './file-lock';
import type { HelperContext } from './helper-context';

/** `/var/lib/labdeck` and what is in it: root's, readable by every user. */
const STATE_DIR_MODE = 0o755;
/**
 * How long a change waits for the store's lock. Longer than the project files' 10 s: a holder
 * makes a directory and runs xfs_io and xfs_quota, and a lab may create many folders at once.
 */
const STORE_LOCK_WAIT_MS = 30_000;

/** What one locked change of the store does: the store to write, the answer, and its undo. */
export interface StoreChange<T> {
  /** The store to write; undefined writes nothing (a change that turned out to be none). */
  readonly store?: FolderStore;
  readonly value: T;
  /** Puts back what the change did besides the store (a directory, a project, a grant). */
  readonly undo?: () => Promise<void>;
}

/** The lock beside `folders.json` that serialises every change of it. */
function lockPath(context: HelperContext): string {
  return `${context.paths.foldersFile}.lock`;
}

/**
 * `folders.json` as it is now: an empty store when there is none yet. A damaged one is an
 * error, never treated as empty — writing over it would lose every folder's record.
 */
export async function readFolderStoreFile(context: HelperContext): Promise<FolderStore> {
  const path = context.paths.foldersFile;
  const text = await readIfExists(path, (file) => readFile(file, 'utf8'));
  if (text === undefined) return emptyFolderStore();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw damaged(path, `it is not JSON (${(error as Error).message})`);
  }
  const parsed = folderStoreSchema.safeParse(json);
  if (!parsed.success) throw damaged(path, describeIssues(parsed.error));
  return parsed.data;
}

function damaged(path: string, why: string): AppFailure {
  return new AppFailure({
    code: 'folder-store-damaged',
    message: `The host's folder records in ${path} cannot be read: ${why}. Nothing was changed.`,
    hint: 'An admin can restore the file from a backup; LabDeck does not write over it.',
  });
}

/**
 * Runs `check` on the store as it is now, without the lock: a call that will be refused anyway
 * (an unknown id, someone else's folder) is refused before it takes the lock, so nobody can hold
 * every folder change up with calls that do nothing. The locked change checks again.
 */
export async function checkBeforeLocking(
  context: HelperContext,
  check: (store: FolderStore) => void,
): Promise<void> {
  check(await readFolderStoreFile(context));
}

/**
 * Runs `change` on the store holding its O_EXCL lock (another helper waits, or after 30 s is
 * told `privileged-busy`), then writes what it returns by atomic replace (root's, 0644). If
 * the change or the write fails, the change's own undo runs: nothing is left half-made.
 *
 * Lock order: this lock first, then the project files' (project-ops.ts) — never the reverse.
 */
export async function changeFolderStore<T>(
  context: HelperContext,
  change: (store: FolderStore) => Promise<StoreChange<T>>,
): Promise<T> {
  await mkdir(context.paths.stateDir, { recursive: true, mode: STATE_DIR_MODE });
  return withFileLock(
    lockPath(context),
    async () => {
      const outcome = await change(await readFolderStoreFile(context));
      if (outcome.store === undefined) return outcome.value;
      try {
        await writeFileAtomic(
          context.paths.foldersFile,
          `${JSON.stringify(outcome.store, null, 1)}\n`,
        );
      } catch (error) {
        await outcome.undo?.().catch(() => undefined);
        throw error;
      }
      return outcome.value;
    },
    STORE_LOCK_WAIT_MS,
  );
}
