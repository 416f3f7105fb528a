import { useId, useState, type JSX } from 'react';
import type { FolderView } from '../../../../common/contract/folders';
import { isDotFolder } from '../../../../common/folder-names';
import { CloneProgressBar } from './CloneProgressBar';
import { cloneBlocked, permissionLabel, shareBlocked } from './folder-view';
import { FolderUsage } from './FolderUsage';

/** What a row's buttons open; the page holds the dialog. */
export type FolderAction =
  'rename' | 'quota' | 'share' | 'clone' | 'trash' | 'restore' | 'purge' | 'leave';

/** Props of {@link FolderRow}. */
export interface FolderRowProps {
  readonly hostId: string;
  readonly folder: FolderView;
  /** Opens the action's dialog; Restore, which asks nothing, resolves once it is done. */
  readonly onAction: (action: FolderAction, folder: FolderView) => Promise<void> | void;
}

/**
 * One folder: its name, owner, volume and the user's permission; usage against the quota; a
 * clone's progress; and what the user may do with it — the owner's changes, Leave for a folder
 * shared with them, Restore and Delete forever in the trash.
 */
export function FolderRow({ hostId, folder, onAction }: FolderRowProps): JSX.Element {
  const titleId = useId();
  const reasonId = useId();
  const owner = folder.permission === 'owner';
  const share = shareBlocked(folder);
  const clone = cloneBlocked(folder);
  const [restoring, setRestoring] = useState(false);
  const restore = (): void => {
    if (restoring) return;
    setRestoring(true);
    void Promise.resolve(onAction('restore', folder)).finally(() => setRestoring(false));
  };
  const button = (action: FolderAction, label: string, danger = false) => (
    <button
      type="button"
      className={danger ? 'button button-small button-danger' : 'button button-small'}
      data-testid={`folder-${action}`}
      onClick={() => onAction(action, folder)}
    >
      {label}
    </button>
  );

  return (
    <li
      className="card folder-row"
      aria-labelledby={titleId}
      data-testid="folder-row"
      data-folder={folder.name}
      data-state={folder.state}
      data-path={folder.path}
    >
      <header className="card-header">
        <div className="card-title">
          <h3 id={titleId}>{folder.name}</h3>
          <p className="card-subtitle">
            {owner ? 'yours' : `${folder.owner}’s`}
            {folder.group && ` · group ${folder.group}`} · on volume{' '}
            <strong>{folder.volume}</strong>
          </p>
        </div>
        <div className="card-badges">
          <span className="badge badge-neutral" data-testid="folder-permission">
            {permissionLabel(folder.permission)}
          </span>
          {folder.cloneable && (
            <span className="badge badge-ok" data-testid="folder-cloneable">
              cloneable
            </span>
          )}
          {folder.state !== 'ready' && (
            <span className="badge badge-warning" data-testid="folder-state">
              {folder.state}
            </span>
          )}
        </div>
      </header>
      <FolderUsage quota={folder.quota} />
      {folder.state === 'cloning' && <CloneProgressBar hostId={hostId} name={folder.name} />}
      {owner && isDotFolder(folder.name) && (
        <p className="folder-note muted" id={reasonId} data-testid="folder-private-note">
          {share}
        </p>
      )}
      <footer className="card-footer folder-actions">
        {folder.state === 'trashed' ? (
          owner && (
            <>
              <button
                type="button"
                className="button button-small"
                aria-disabled={restoring}
                data-testid="folder-restore"
                onClick={restore}
              >
                {restoring && <span className="spinner spinner-small" aria-hidden="true" />}
                Restore
              </button>
              {button('purge', 'Delete forever…', true)}
            </>
          )
        ) : (
          <>
            {owner && folder.state === 'ready' && button('rename', 'Rename…')}
            {owner && folder.state === 'ready' && button('quota', 'Set quota…')}
            {owner && (
              <button
                type="button"
                className="button button-small"
                disabled={share !== null}
                title={share ?? undefined}
                aria-describedby={share !== null && isDotFolder(folder.name) ? reasonId : undefined}
                data-testid="folder-share"
                onClick={() => onAction('share', folder)}
              >
                Share…
              </button>
            )}
            {clone === null && button('clone', 'Clone…')}
            {owner && folder.state === 'ready' && button('trash', 'Move to trash…', true)}
            {folder.via === 'invitation' && button('leave', 'Leave…', true)}
          </>
        )}
      </footer>
    </li>
  );
}
