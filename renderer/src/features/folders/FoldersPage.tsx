import { useEffect, useState, type JSX } from 'react';
import type { FolderView } from '../../../../common/contract/folders';
import { CodeText } from '../../components/CodeText';
import { DoctorFix } from '../hosts/DoctorFix';
import { foldersStore, uiStore, useFolders, useHosts } from '../../stores/stores';
import { FolderActionDialog } from './FolderDialogs';
import { FolderHostPicker } from './FolderHostPicker';
import { FolderRow, type FolderAction } from './FolderRow';
import { folderSections, hintFixView, incomingPending, type FolderListing } from './folder-view';
import type { HostFolders } from './folders-store';
import { InvitationsDialog } from './InvitationsDialog';
import { NewFolderDialog } from './NewFolderDialog';
import { useFoldersIntent } from './use-folders-intent';

/** The one dialog the page may have open. */
type FoldersDialog =
  | { readonly kind: 'new' }
  | { readonly kind: 'invitations' }
  | {
      readonly kind: 'action';
      readonly action: Exclude<FolderAction, 'restore'>;
      readonly folder: FolderView;
    };

/**
 * Storage folders on one connected host at a time: yours, those shared with you and your
 * groups', each with usage against its quota (and whether the filesystem enforces it), and the
 * trash — with New folder, the invitations inbox, and each folder's own actions. The chosen
 * host is asked again every few seconds while the page shows.
 */
export function FoldersPage(): JSX.Element {
  const hostId = useFolders((s) => s.hostId);
  const entry = useFolders((s) => (s.hostId === null ? undefined : s.byHost[s.hostId]));
  const hostName = useHosts((s) => s.hosts.find((h) => h.id === hostId)?.name ?? hostId ?? '');
  const [dialog, setDialog] = useState<FoldersDialog | null>(null);
  const listing = entry?.phase === 'loaded' ? entry.listing : null;
  const pending = incomingPending(listing?.invitations ?? []).length;
  const close = (): void => setDialog(null);

  useEffect(() => foldersStore.getState().poll(), []);
  useEffect(() => {
    if (hostId !== null) void foldersStore.getState().loadHost(hostId);
  }, [hostId]);
  useFoldersIntent(() => {
    if (listing) setDialog({ kind: 'new' });
    else
      uiStore
        .getState()
        .showToast({ kind: 'info', message: 'Connect a host to make a folder on it.' });
  });

  const onAction = async (action: FolderAction, folder: FolderView): Promise<void> => {
    if (hostId === null) return;
    if (action !== 'restore') return setDialog({ kind: 'action', action, folder });
    const result = await foldersStore
      .getState()
      .change(hostId, 'folders:restore', { name: folder.name });
    if (result.ok)
      uiStore.getState().showToast({ kind: 'success', message: `Restored ${folder.name}.` });
    else uiStore.getState().showError(result.error);
  };

  return (
    <div className="page">
      <header className="page-header page-header-actions">
        <div>
          <h1>Folders</h1>
          <p className="page-lede">
            Storage on the lab’s volumes, with quotas; shared with labmates, cloned, mounted into
            sessions.
          </p>
        </div>
        <div className="page-actions">
          <FolderHostPicker />
          <button
            type="button"
            className="button"
            aria-disabled={!listing}
            data-testid="folders-invitations"
            onClick={listing ? () => setDialog({ kind: 'invitations' }) : undefined}
          >
            Invitations
            {pending > 0 && (
              <span className="count-badge" data-testid="folders-invitations-count">
                {pending}
              </span>
            )}
          </button>
          <button
            type="button"
            className="button button-primary"
            aria-disabled={!listing}
            title={listing ? undefined : 'Connect a host whose folders are listed first'}
            data-testid="folders-new"
            onClick={listing ? () => setDialog({ kind: 'new' }) : undefined}
          >
            New folder
          </button>
        </div>
      </header>
      <FolderHostContent hostId={hostId} entry={entry} listing={listing} onAction={onAction} />
      {dialog?.kind === 'new' && hostId && listing && (
        <NewFolderDialog hostId={hostId} hostName={hostName} listing={listing} onClose={close} />
      )}
      {dialog?.kind === 'invitations' && hostId && (
        <InvitationsDialog hostId={hostId} hostName={hostName} onClose={close} />
      )}
      {dialog?.kind === 'action' && hostId && listing && (
        <FolderActionDialog
          hostId={hostId}
          action={dialog.action}
          folder={dialog.folder}
          listing={listing}
          onClose={close}
        />
      )}
    </div>
  );
}

/** Props of {@link FolderHostContent}. */
interface FolderHostContentProps {
  readonly hostId: string | null;
  readonly entry: HostFolders | undefined;
  readonly listing: FolderListing | null;
  readonly onAction: (action: FolderAction, folder: FolderView) => Promise<void>;
}

/** The chosen host's folders by section, or why there are none to show. */
function FolderHostContent({
  hostId,
  entry,
  listing,
  onAction,
}: FolderHostContentProps): JSX.Element {
  if (hostId === null)
    return (
      <div className="empty-state" data-testid="folders-no-host">
        <p className="empty-title">No host is connected.</p>
        <p>Connect one on the Hosts page; its folders show here.</p>
      </div>
    );
  if (entry === undefined || entry.phase === 'loading')
    return (
      <p className="loading-line" data-testid="folders-loading">
        <span className="spinner" aria-hidden="true" /> Listing the folders…
      </p>
    );
  if (entry.phase === 'failed')
    return (
      <div className="empty-state empty-state-error" role="alert" data-testid="folders-error">
        <p className="empty-title">The folders could not be listed.</p>
        <p>
          <CodeText text={entry.error.message} />
        </p>
        {entry.error.hint && (
          <DoctorFix
            fix={hintFixView(entry.error.hint)}
            title="listing the folders"
            testId="folders-error-fix"
          />
        )}
        <button
          type="button"
          className="button"
          onClick={() => void foldersStore.getState().loadHost(hostId)}
        >
          Try again
        </button>
      </div>
    );
  const sections = folderSections(listing?.folders ?? []);
  if (sections.length === 0)
    return (
      <div className="empty-state" data-testid="folders-empty">
        <p className="empty-title">No folders on this host yet.</p>
        <p>Make one with New folder; folders shared with you show here once you accept them.</p>
      </div>
    );
  return (
    <div className="folder-sections" data-testid="folder-list">
      {sections.map((section) => (
        <section
          key={section.id}
          className="folder-section"
          aria-label={section.title}
          data-testid={`folders-${section.id}`}
        >
          <h2 className="folder-section-title">{section.title}</h2>
          <ul className="card-list folder-cards">
            {section.folders.map((folder) => (
              <FolderRow key={folder.id} hostId={hostId} folder={folder} onAction={onAction} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
