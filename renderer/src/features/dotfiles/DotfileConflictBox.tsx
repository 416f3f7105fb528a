import type { JSX } from 'react';
import { CodeText } from '../../components/CodeText';
import { overwriteWithMine } from './dotfile-actions';
import type { DotfileDraft } from './dotfile-draft';
import { dotfilesStore } from './dotfiles-window';

/**
 * A save refused because someone changed (or removed, or made) the file since it was opened:
 * their name and time, and the three ways on — compare my text with theirs in the diff,
 * overwrite theirs with mine, or discard mine. The text typed stays in the editor until the
 * user picks one.
 */
export function DotfileConflictBox({ draft }: { readonly draft: DotfileDraft }): JSX.Element {
  const store = dotfilesStore.getState();
  const conflict = draft.conflict!;
  const busy = draft.busy !== null;
  const gone = conflict.theirs === null;
  return (
    <div className="form-error dotfile-conflict" role="alert" data-testid="dotfile-conflict">
      <p>
        <CodeText text={conflict.error.message} />
      </p>
      {conflict.error.hint && (
        <p className="muted">
          <CodeText text={conflict.error.hint} />
        </p>
      )}
      {draft.compare === 'theirs' && (
        <p className="muted" data-testid="dotfile-conflict-comparing">
          {gone
            ? 'Their side removed the file: the diff shows all of your text as new.'
            : 'The diff shows your text against theirs: lines marked as removed are theirs.'}
        </p>
      )}
      <div className="dotfile-conflict-actions">
        <button
          type="button"
          className="button button-small"
          aria-pressed={draft.compare === 'theirs'}
          aria-disabled={busy}
          data-testid="dotfile-conflict-compare"
          onClick={() =>
            busy
              ? undefined
              : draft.compare === 'theirs'
                ? store.setCompare('none')
                : void store.compareTheirs()
          }
        >
          Compare with theirs
        </button>
        <button
          type="button"
          className="button button-small button-primary"
          aria-disabled={busy}
          data-testid="dotfile-conflict-overwrite"
          onClick={() => (busy ? undefined : void overwriteWithMine())}
        >
          Overwrite with mine
        </button>
        <button
          type="button"
          className="button button-small"
          aria-disabled={busy}
          data-testid="dotfile-conflict-discard"
          onClick={() => (busy ? undefined : void store.discardMine())}
        >
          Discard mine
        </button>
      </div>
    </div>
  );
}
