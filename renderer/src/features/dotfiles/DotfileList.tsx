import type { JSX } from 'react';
import { displayDotfilePath } from '../../../../common/dotfiles/dotfile-changes';
import type { DotfileSummary } from '../../../../common/dotfiles/dotfile-store';
import { CodeText } from '../../components/CodeText';
import { summaryLine } from './dotfile-view';
import type { Loadable } from './dotfiles-store';
import { dotfilesStore } from './dotfiles-window';

/** Props of {@link DotfileList}. */
export interface DotfileListProps {
  readonly list: Loadable<readonly DotfileSummary[]> | undefined;
  /** The path open in the editor, marked in the list. */
  readonly openPath: string | null;
  readonly onRetry: () => void;
}

/**
 * One level's files: each path as a session sees it (`~/.bashrc`, `/etc/profile`), its mode,
 * size and who saved it when. Choosing one opens it (after asking, with unsaved text).
 */
export function DotfileList({ list, openPath, onRetry }: DotfileListProps): JSX.Element {
  if (list === undefined || list.phase === 'loading')
    return (
      <p className="loading-line" data-testid="dotfiles-list-loading">
        <span className="spinner" aria-hidden="true" /> Listing the files…
      </p>
    );
  if (list.phase === 'failed')
    return (
      <div className="empty-state empty-state-error" role="alert" data-testid="dotfiles-list-error">
        <p className="empty-title">The files could not be listed.</p>
        <p>
          <CodeText text={list.error.message} />
        </p>
        {list.error.hint && (
          <p className="muted">
            <CodeText text={list.error.hint} />
          </p>
        )}
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  if (list.value.length === 0)
    return (
      <p className="muted dotfile-list-empty" data-testid="dotfiles-list-empty">
        No dotfiles at this level yet.
      </p>
    );
  const open = (path: string): void => {
    const store = dotfilesStore.getState();
    if (path === openPath) return;
    store.whenClean(() => void store.open(path));
  };
  return (
    <ul className="dotfile-list" data-testid="dotfile-list">
      {list.value.map((file) => (
        <li key={file.path}>
          <button
            type="button"
            className="dotfile-row"
            aria-current={file.path === openPath ? 'true' : undefined}
            data-testid="dotfile-row"
            data-path={file.path}
            onClick={() => open(file.path)}
          >
            <span className="dotfile-row-path">{displayDotfilePath(file.path)}</span>
            <span className="dotfile-row-detail muted">{summaryLine(file)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
