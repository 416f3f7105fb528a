import type {
  DotfileContext,
  DotfileDocument,
  DotfileScopeRef,
  DotfileSummary,
} from '../../../../common/dotfiles/dotfile-store';
import type { AppError } from '../../../../common/contract/result';
import {
  checkDotfile,
  NEW_DOTFILE_VALUES,
  noErrors,
  type DotfileFieldErrors,
  type LevelAccess,
} from './dotfile-form';

/**
 * The file open in the Dotfiles page's editor (issue 13): the text as typed next to the version
 * it was opened at, a refused save's conflict, and whether it may be saved now.
 */

/** A save refused because someone changed the file meanwhile, and their version once read. */
export interface DotfileConflict {
  readonly error: AppError;
  /** Their version: undefined until read, null when the file was removed. */
  readonly theirs?: DotfileDocument | null;
}

/** What the editor's diff shows: nothing, the changes since the version opened, or mine against theirs. */
export type DotfileCompare = 'none' | 'saved' | 'theirs';

/** The file open in the editor, as typed: its text lives here, so leaving the page keeps it. */
export interface DotfileDraft {
  /** Grows with every file opened (a new editor), so a late answer cannot land in another. */
  readonly id: number;
  readonly hostId: string;
  readonly level: DotfileScopeRef;
  /** The version opened — what Save's `baseRevision` names and Changes compares with; null for a new file. */
  readonly saved: DotfileDocument | null;
  readonly path: string;
  readonly mode: string;
  readonly content: string;
  readonly compare: DotfileCompare;
  readonly conflict: DotfileConflict | null;
  /** The last failed save or read other than a conflict. */
  readonly failure: AppError | null;
  readonly busy: 'saving' | 'reading' | null;
}

/** True when the editor holds text the level does not have yet. */
export function isDirty(draft: DotfileDraft | null): boolean {
  if (draft === null) return false;
  if (draft.saved === null) return draft.path !== '' || draft.content !== '';
  return draft.content !== draft.saved.content || draft.mode !== draft.saved.mode;
}

/**
 * The open file's errors by field (a new file's path also against the level's `files`) and
 * whether Save may send it now: no error, something unsaved, nothing under way, no conflict.
 */
export function draftChecks(
  draft: DotfileDraft,
  context: Pick<DotfileContext, 'systemPaths'>,
  access: LevelAccess,
  files: readonly Pick<DotfileSummary, 'path'>[] | null,
): { readonly errors: DotfileFieldErrors; readonly canSave: boolean } {
  const errors = checkDotfile(draft.level, draft, context, draft.saved === null ? files : null);
  const canSave =
    access.editable &&
    noErrors(errors) &&
    isDirty(draft) &&
    draft.busy === null &&
    draft.conflict === null;
  return { errors, canSave };
}

/** A draft of `doc` as opened (a new, empty file when null); `id` names this editor. */
export function openedDraft(
  id: number,
  hostId: string,
  level: DotfileScopeRef,
  doc: DotfileDocument | null,
): DotfileDraft {
  return {
    id,
    hostId,
    level,
    saved: doc,
    path: doc?.path ?? NEW_DOTFILE_VALUES.path,
    mode: doc?.mode ?? NEW_DOTFILE_VALUES.mode,
    content: doc?.content ?? NEW_DOTFILE_VALUES.content,
    compare: 'none',
    conflict: null,
    failure: null,
    busy: null,
  };
}
