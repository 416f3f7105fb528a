import { useId, useMemo, type JSX } from 'react';
import { displayDotfilePath } from '../../../../common/dotfiles/dotfile-changes';
import type { DotfileContext, DotfileSummary } from '../../../../common/dotfiles/dotfile-store';
import { FormError } from '../../components/FormError';
import { TextField } from '../../components/TextField';
import { CodeEditor } from './CodeEditor';
import { saveOpenFile } from './dotfile-actions';
import { DotfileConflictBox } from './DotfileConflictBox';
import { pathSuggestions, type LevelAccess } from './dotfile-form';
import { DOTFILE_LANGUAGE_LABELS, languageOf } from './dotfile-languages';
import { whenText } from './dotfile-view';
import { draftChecks, isDirty, type DotfileDraft } from './dotfile-draft';
import { dotfilesStore } from './dotfiles-window';
import { PathField } from './PathField';

/** Props of {@link DotfileEditor}. */
export interface DotfileEditorProps {
  readonly draft: DotfileDraft;
  readonly context: DotfileContext;
  readonly access: LevelAccess;
  /** The level's files, to say a new file's path is taken; null while not listed. */
  readonly files: readonly DotfileSummary[] | null;
  readonly onRemove: () => void;
}

/**
 * The open dotfile: a new file's path and every file's mode, each with its errors beside it as
 * typed (validateDotfile, as main checks); the text in CodeMirror with its kind's highlighting
 * and its own errors under it; Changes (the diff against the version opened), Save
 * (Ctrl/Cmd+S), Remove; and after a refused save the conflict with its three ways out.
 */
export function DotfileEditor({
  draft,
  context,
  access,
  files,
  onRemove,
}: DotfileEditorProps): JSX.Element {
  const store = dotfilesStore.getState();
  const contentErrorsId = useId();
  const { errors, canSave } = useMemo(
    () => draftChecks(draft, context, access, files),
    [draft, context, access, files],
  );
  const isNew = draft.saved === null;
  const shown = draft.path === '' ? 'a new file' : displayDotfilePath(draft.path);
  const language = languageOf(draft.path);
  const readOnly = !access.editable;
  const compareWith =
    draft.compare === 'theirs' && draft.conflict?.theirs !== undefined
      ? (draft.conflict.theirs?.content ?? '')
      : draft.compare === 'saved'
        ? (draft.saved?.content ?? '')
        : null;
  // An empty path is said once something was typed into the form.
  const pathErrors = isNew && draft.path === '' && draft.content === '' ? [] : errors.path;

  return (
    <section
      className="dotfile-editor"
      aria-label={`Editor of ${shown}`}
      data-testid="dotfile-editor"
      data-path={draft.path}
    >
      <div className="dotfile-editor-head">
        {isNew ? (
          <PathField
            value={draft.path}
            errors={pathErrors}
            suggestions={pathSuggestions(draft.level.scope, context)}
            systemFiles={draft.level.scope !== 'user'}
            onChange={(path) => store.edit({ path })}
          />
        ) : (
          <div className="dotfile-editor-title">
            <h2 className="dotfile-path" data-testid="dotfile-editor-path">
              {shown}
            </h2>
            {draft.saved && (
              <p className="muted" data-testid="dotfile-editor-saved">
                Saved by {draft.saved.updatedBy}, {whenText(draft.saved.updatedAt)}
                {isDirty(draft) && ' · unsaved changes'}
              </p>
            )}
          </div>
        )}
        <TextField
          label="Mode"
          className="dotfile-mode"
          inputMode="numeric"
          value={draft.mode}
          errors={errors.mode}
          testId="dotfile-mode"
          onChange={(mode) => store.edit({ mode })}
        />
      </div>
      <p className="dotfile-language muted" data-testid="dotfile-language">
        {DOTFILE_LANGUAGE_LABELS[language]}
        {readOnly && ' · read-only'}
      </p>
      <CodeEditor
        key={draft.id}
        initial={draft.content}
        language={language}
        readOnly={readOnly}
        compareWith={compareWith}
        revertLabel={draft.compare === 'theirs' ? 'Take theirs' : 'Revert'}
        label={`Text of ${shown}`}
        describedBy={errors.content ? contentErrorsId : undefined}
        invalid={errors.content !== undefined}
        onChange={(content) => store.edit({ content })}
      />
      {errors.content && (
        <ul className="field-errors" id={contentErrorsId} data-testid="dotfile-content-errors">
          {errors.content.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      )}
      {draft.conflict && <DotfileConflictBox draft={draft} />}
      <FormError error={draft.failure} testId="dotfile-failure" />
      <div className="dotfile-editor-actions">
        {!isNew && !readOnly && (
          <button
            type="button"
            className="button"
            aria-pressed={draft.compare === 'saved'}
            data-testid="dotfile-changes"
            onClick={() => store.setCompare(draft.compare === 'saved' ? 'none' : 'saved')}
          >
            Changes
          </button>
        )}
        {!isNew && access.editable && (
          <button
            type="button"
            className="button button-danger"
            data-testid="dotfile-remove"
            onClick={onRemove}
          >
            Remove
          </button>
        )}
        <span className="dotfile-actions-gap" />
        <button
          type="button"
          className="button"
          data-testid="dotfile-close"
          onClick={() => store.whenClean(() => store.close())}
        >
          Close
        </button>
        {access.editable && (
          <button
            type="button"
            className="button button-primary"
            disabled={!canSave}
            aria-keyshortcuts="Control+S Meta+S"
            data-testid="dotfile-save"
            onClick={() => void saveOpenFile()}
          >
            {draft.busy === 'saving' && <span className="spinner" aria-hidden="true" />}
            Save
          </button>
        )}
      </div>
    </section>
  );
}
