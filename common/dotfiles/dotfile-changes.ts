import type { AppError } from '../contract/result';
import { utf8Bytes } from '../host-setup/privileged-ops';
import {
  DEFAULT_DOTFILE_MODE,
  MAX_DOTFILE_BYTES_PER_OWNER,
  MAX_DOTFILES_PER_OWNER,
  type DotfileError,
} from '../dotfiles';
import type {
  DotfileDocument,
  DotfileEntry,
  DotfileScopeRef,
  DotfileStore,
  DotfileSummary,
} from './dotfile-store';

/**
 * One write to one dotfile store (issue 13), decided without touching a disk: the agent applies
 * it to the user's store and the privileged helper to a group's or the lab's, each under the
 * store's lock, so both refuse a stale save, a missing file and a full store in the same words.
 */

/** One change: set `path` to `content`, or (content null) remove it. */
export interface DotfileChange {
  readonly path: string;
  /** The new text; null removes the file. */
  readonly content: string | null;
  /** Three octal digits; absent keeps the file's mode (644 for a new file). */
  readonly mode?: string;
  /**
   * The revision the editor opened the file at; null: the file must not exist yet (a new file);
   * absent: overwrite whatever is there (the CLI's `dotfile set`).
   */
  readonly baseRevision?: number | null;
}

/** Who makes the change, when, and the store in words ("group lab's dotfiles"). */
export interface DotfileChangeContext {
  readonly now: Date;
  /** The Unix user the change is recorded for. */
  readonly by: string;
  /** The store in words, for the limit messages: "your dotfiles", "the lab's dotfiles". */
  readonly label: string;
}

/** The store after the change and the file's entry (a removal: the entry removed). */
export type DotfileChangeResult =
  | { readonly ok: true; readonly store: DotfileStore; readonly entry: DotfileEntry }
  | { readonly ok: false; readonly error: AppError };

/** The hint of every conflict: the editor keeps the user's text, so nothing is lost. */
const CONFLICT_HINT =
  'Reload the file to see the other version, then save again (your text is kept).';

/** A path as people read it: `~/.bashrc` for a home file, `/etc/bash.bashrc` as it is. */
export function displayDotfilePath(path: string): string {
  return path.startsWith('/') ? path : `~/${path}`;
}

/** An ISO time as the messages show it: `2026-12-02 14:03 UTC`. */
export function displayTime(iso: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) && iso.endsWith('Z')
    ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
    : iso;
}

/** One file as lists show it. */
export function dotfileSummary(
  ref: DotfileScopeRef,
  path: string,
  entry: DotfileEntry,
): DotfileSummary {
  return {
    scope: ref.scope,
    group: ref.scope === 'group' ? ref.group : null,
    path,
    mode: entry.mode,
    bytes: utf8Bytes(entry.content),
    updatedAt: entry.updatedAt,
    updatedBy: entry.updatedBy,
    revision: entry.revision,
  };
}

/** One file with its text, as an editor opens it. */
export function dotfileDocument(
  ref: DotfileScopeRef,
  path: string,
  entry: DotfileEntry,
): DotfileDocument {
  return { ...dotfileSummary(ref, path, entry), content: entry.content };
}

/** `validateDotfile`'s errors as one `invalid-input`: `path: must …; mode: …`, every field. */
export function dotfileInputError(errors: readonly DotfileError[]): AppError {
  return {
    code: 'invalid-input',
    message: errors.map((error) => `${error.field}: ${error.message}`).join('; '),
    hint: 'Correct the fields named above and save again.',
  };
}

/** `dotfile-not-found` for `path` of the store `label` names. */
export function dotfileNotFound(path: string, label: string): AppError {
  return {
    code: 'dotfile-not-found',
    message: `There is no ${displayDotfilePath(path)} in ${label}.`,
    hint: 'labdeck dotfile ls HOST lists the files of every level.',
  };
}

function conflict(message: string): DotfileChangeResult {
  return { ok: false, error: { code: 'dotfile-conflict', message, hint: CONFLICT_HINT } };
}

/** Who wrote `entry`, as a conflict names them: `bob`, or `you (elsewhere)`. */
function writer(entry: DotfileEntry, by: string): string {
  return entry.updatedBy === by ? 'you (elsewhere)' : entry.updatedBy;
}

/** Why a change made from `baseRevision` is stale, or undefined when it is not. */
function staleness(
  change: DotfileChange,
  current: DotfileEntry | undefined,
  by: string,
): DotfileChangeResult | undefined {
  const shown = displayDotfilePath(change.path);
  if (change.baseRevision === undefined) return undefined;
  if (change.baseRevision === null) {
    if (current === undefined) return undefined;
    return conflict(
      `${shown} was created by ${writer(current, by)} at ${displayTime(current.updatedAt)} since you opened it.`,
    );
  }
  if (current === undefined) return conflict(`${shown} was removed since you opened it.`);
  if (current.revision === change.baseRevision) return undefined;
  return conflict(
    `${shown} was changed by ${writer(current, by)} at ${displayTime(current.updatedAt)} since you opened it.`,
  );
}

/** Why `files` breaks the per-owner limits (files, bytes), or undefined. */
function overLimit(files: DotfileStore['files'], label: string): AppError | undefined {
  const entries = Object.values(files);
  const owner = label.charAt(0).toUpperCase() + label.slice(1);
  const hint = 'Remove a file you no longer need, or make one smaller, then save again.';
  if (entries.length > MAX_DOTFILES_PER_OWNER)
    return {
      code: 'dotfile-limit',
      message: `${owner} would have ${entries.length} files; at most ${MAX_DOTFILES_PER_OWNER} are allowed.`,
      hint,
    };
  const bytes = entries.reduce((sum, entry) => sum + utf8Bytes(entry.content), 0);
  if (bytes > MAX_DOTFILE_BYTES_PER_OWNER)
    return {
      code: 'dotfile-limit',
      message: `${owner} would hold ${bytes} bytes; at most ${MAX_DOTFILE_BYTES_PER_OWNER} (256 KiB) are allowed, all files together.`,
      hint,
    };
  return undefined;
}

/**
 * Applies `change` to `store`: refused with `dotfile-conflict` when the file changed since
 * `baseRevision` (or exists though null said new, or is gone), `dotfile-not-found` to remove a
 * file that is not there, `dotfile-limit` when the store would break the per-owner limits.
 * Otherwise the store's revision grows by one and a written file's entry gets it, so a revision
 * is never reused, not even for a file removed and made again. The path is taken as it is:
 * callers check it with `validateDotfile` first.
 */
export function applyDotfileChange(
  store: DotfileStore,
  change: DotfileChange,
  context: DotfileChangeContext,
): DotfileChangeResult {
  const current = Object.hasOwn(store.files, change.path) ? store.files[change.path] : undefined;
  if (change.content === null && current === undefined)
    return { ok: false, error: dotfileNotFound(change.path, context.label) };
  const stale = staleness(change, current, context.by);
  if (stale !== undefined) return stale;
  const revision = store.revision + 1;
  // Built with fromEntries, so a path such as `__proto__` stays an ordinary key.
  const others = Object.entries(store.files).filter(([path]) => path !== change.path);
  if (change.content === null)
    return {
      ok: true,
      store: { version: 1, revision, files: Object.fromEntries(others) },
      entry: current!,
    };
  const entry: DotfileEntry = {
    content: change.content,
    mode: change.mode ?? current?.mode ?? DEFAULT_DOTFILE_MODE,
    revision,
    updatedAt: context.now.toISOString(),
    updatedBy: context.by,
  };
  const files = Object.fromEntries([...others, [change.path, entry] as const]);
  const limit = overLimit(files, context.label);
  if (limit !== undefined) return { ok: false, error: limit };
  return { ok: true, store: { version: 1, revision, files }, entry };
}
