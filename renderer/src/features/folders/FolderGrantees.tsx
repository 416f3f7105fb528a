import { useState, type JSX } from 'react';
import type { AppError } from '../../../../common/contract/result';
import type { InvitationView } from '../../../../common/folders/folder-view';
import { FormError } from '../../components/FormError';
import { foldersStore, uiStore } from '../../stores/stores';
import { permissionLabel } from './folder-view';

/** Props of {@link FolderGrantees}. */
export interface FolderGranteesProps {
  readonly hostId: string;
  readonly folderName: string;
  /**
   * Who the folder is shared with: its outgoing invitations, pending or accepted; null while the
   * host's folders are not loaded (a failed reload), so "nobody" is never said for "not known".
   */
  readonly grantees: readonly InvitationView[] | null;
  /** Called once a grant or invitation is gone (the row with the focus went with it). */
  readonly onRemoved: () => void;
}

/**
 * "Shared with": each user a folder of yours is shared with, with their permission and whether
 * they have access (accepted) or have not answered yet (pending); Remove access takes an accepted
 * grant back (their ACL entries go, the files stay), Cancel invitation withdraws a pending one.
 * A refusal stays under the list with its hint.
 */
export function FolderGrantees({
  hostId,
  folderName,
  grantees,
  onRemoved,
}: FolderGranteesProps): JSX.Element {
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<AppError | null>(null);

  const remove = async (grantee: InvitationView): Promise<void> => {
    if (busy !== null) return;
    setBusy(grantee.id);
    setFailure(null);
    const result = await foldersStore
      .getState()
      .change(hostId, 'folders:cancel', { invitation: grantee.id });
    setBusy(null);
    if (!result.ok) return setFailure(result.error);
    uiStore.getState().showToast({
      kind: 'success',
      message:
        grantee.state === 'accepted'
          ? `${grantee.invitee} no longer has access to ${folderName}.`
          : `Canceled the invitation of ${grantee.invitee} to ${folderName}.`,
    });
    onRemoved();
  };

  return (
    <section className="folder-grantees" aria-label="Shared with" data-testid="folder-grantees">
      <h3 className="import-heading">Shared with</h3>
      {grantees === null ? (
        <p className="muted" data-testid="folder-grantees-unknown">
          Who {folderName} is shared with shows once the host&apos;s folders load again.
        </p>
      ) : grantees.length === 0 ? (
        <p className="muted">Nobody yet: only you can see {folderName}.</p>
      ) : (
        <ul className="invitation-list">
          {grantees.map((grantee) => (
            <li
              key={grantee.id}
              className="invitation folder-grantee"
              data-testid="folder-grantee"
              data-user={grantee.invitee}
              data-state={grantee.state}
            >
              <p className="invitation-text">
                <strong>{grantee.invitee}</strong> · {permissionLabel(grantee.permission)} ·{' '}
                <span className="muted">
                  {grantee.state === 'accepted' ? 'has access' : 'invited, not answered yet'}
                </span>
              </p>
              <button
                type="button"
                className="button button-small button-danger"
                aria-disabled={busy !== null}
                aria-label={
                  grantee.state === 'accepted'
                    ? `Remove access of ${grantee.invitee}`
                    : `Cancel invitation of ${grantee.invitee}`
                }
                data-testid="folder-grantee-remove"
                onClick={busy !== null ? undefined : () => void remove(grantee)}
              >
                {busy === grantee.id && (
                  <span className="spinner spinner-small" aria-hidden="true" />
                )}
                {grantee.state === 'accepted' ? 'Remove access' : 'Cancel invitation'}
              </button>
            </li>
          ))}
        </ul>
      )}
      <FormError error={failure} testId="folder-grantees-error" />
    </section>
  );
}
