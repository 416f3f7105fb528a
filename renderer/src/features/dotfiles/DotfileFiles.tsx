import { useState, type JSX } from 'react';
import { displayDotfilePath } from '../../../../common/dotfiles/dotfile-changes';
import type { DotfileContext } from '../../../../common/dotfiles/dotfile-store';
import { CodeText } from '../../components/CodeText';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { uiStore } from '../../stores/stores';
import { DotfileEditor } from './DotfileEditor';
import { DotfileLevelPicker } from './DotfileLevelPicker';
import { DotfileList } from './DotfileList';
import { levelAccess, levelTitle } from './dotfile-form';
import { listKey } from './dotfiles-store';
import { dotfilesStore, useDotfiles } from './dotfiles-window';
import { startNewFile } from './dotfile-actions';

/** Props of {@link DotfileFiles}. */
export interface DotfileFilesProps {
  readonly hostId: string;
  readonly hostName: string;
  readonly context: DotfileContext;
}

/**
 * The Files tab: the level picker, the level's files with New file, and the open file's editor.
 * A level the user may not change says why and opens its files read-only.
 */
export function DotfileFiles({ hostId, hostName, context }: DotfileFilesProps): JSX.Element {
  const level = useDotfiles((s) => s.level);
  const list = useDotfiles((s) => s.lists[listKey(hostId, s.level)]);
  const draft = useDotfiles((s) => s.draft);
  const openFailure = useDotfiles((s) => s.openFailure);
  const [removing, setRemoving] = useState(false);
  const access = levelAccess(context, level, hostName);
  const files = list?.phase === 'loaded' ? list.value : null;
  const shownDraft = draft && draft.hostId === hostId ? draft : null;

  return (
    <div className="dotfile-files">
      <div className="dotfile-files-bar">
        <DotfileLevelPicker context={context} level={level} />
        <button
          type="button"
          className="button button-primary"
          aria-disabled={!access.editable}
          aria-keyshortcuts="N"
          title={access.editable ? undefined : access.reason}
          data-testid="dotfiles-new"
          onClick={access.editable ? () => startNewFile(hostName) : undefined}
        >
          New file
        </button>
      </div>
      {!access.editable && (
        <p className="notice notice-info dotfile-readonly" data-testid="dotfiles-readonly">
          Read-only: {access.reason}
        </p>
      )}
      <div className="dotfile-columns">
        <nav className="dotfile-list-column" aria-label={`${levelTitle(level)} dotfiles`}>
          <DotfileList
            list={list}
            openPath={shownDraft?.saved ? shownDraft.path : null}
            onRetry={() => void dotfilesStore.getState().loadList(hostId, level)}
          />
        </nav>
        <div className="dotfile-editor-column">
          {shownDraft ? (
            <DotfileEditor
              draft={shownDraft}
              context={context}
              access={access}
              files={files}
              onRemove={() => setRemoving(true)}
            />
          ) : openFailure ? (
            <div className="form-error" role="alert" data-testid="dotfile-open-error">
              <p>
                {displayDotfilePath(openFailure.path)} could not be opened:{' '}
                <CodeText text={openFailure.error.message} />
              </p>
              {openFailure.error.hint && (
                <p className="muted">
                  <CodeText text={openFailure.error.hint} />
                </p>
              )}
            </div>
          ) : (
            <p className="muted dotfile-editor-empty" data-testid="dotfile-editor-empty">
              Choose a file to {access.editable ? 'edit' : 'read'} it
              {access.editable ? ', or make one with New file (N).' : '.'}
            </p>
          )}
        </div>
      </div>
      {removing && shownDraft?.saved && (
        <ConfirmDialog
          title={`Remove ${displayDotfilePath(shownDraft.saved.path)}?`}
          body={
            <>
              New sessions will no longer get it from this level ({levelTitle(level)}); sessions
              already running keep their copy.
            </>
          }
          confirmLabel="Remove"
          onConfirm={() => dotfilesStore.getState().remove()}
          onConfirmed={() => {
            setRemoving(false);
            uiStore.getState().showToast({
              kind: 'success',
              message: `Removed ${displayDotfilePath(shownDraft.saved!.path)}.`,
            });
          }}
          onClose={() => setRemoving(false)}
          testId="dotfile-remove-dialog"
          confirmTestId="dotfile-remove-confirm"
        />
      )}
    </div>
  );
}
