import { useState, type JSX } from 'react';
import type { AppError, Result } from '../../../../common/contract/result';
import type { InvitationView } from '../../../../common/folders/folder-view';
import { FormError } from '../../components/FormError';
import { TextField } from '../../components/TextField';
import { foldersStore } from '../../stores/stores';
import { fieldError, folderNameProblem } from './folder-form';
import { permissionLabel, type FolderListing } from './folder-view';

/** Props of {@link InvitationItem}. */
export interface InvitationItemProps {
  readonly hostId: string;
  readonly invitation: InvitationView;
  readonly listing: FolderListing;
}

/**
 * One pending invitation. To you: Accept, Accept as… (a name of your own, for when the folder's
 * clashes with one of yours — offered by itself when the host says so) and Reject. From you:
 * Cancel. Each button shows a spinner while it runs; a refusal stays beside it.
 */
export function InvitationItem({ hostId, invitation, listing }: InvitationItemProps): JSX.Element {
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<AppError | null>(null);
  const [alias, setAlias] = useState<string | null>(null);
  const incoming = invitation.direction === 'incoming';
  const aliasProblem = alias === null ? undefined : folderNameProblem(alias, listing.folders);
  const clash = failure?.code === 'folder-name-taken';

  const act = async (what: string, send: () => Promise<Result<unknown>>): Promise<void> => {
    if (busy) return;
    setBusy(what);
    setFailure(null);
    const result = await send();
    setBusy(null);
    if (result.ok) return;
    setFailure(result.error);
    if (result.error.code === 'folder-name-taken' && alias === null) setAlias('');
  };
  const respond = (accept: boolean, as?: string) =>
    act(accept ? (as === undefined ? 'accept' : 'accept-as') : 'reject', () =>
      foldersStore.getState().change(hostId, 'folders:respond', {
        invitation: invitation.id,
        accept,
        ...(as === undefined ? {} : { as }),
      }),
    );
  const button = (what: string, label: string, onClick: () => void, disabled = false) => (
    <button
      type="button"
      className={
        what === 'reject' || what === 'cancel'
          ? 'button button-small button-danger'
          : 'button button-small'
      }
      aria-disabled={busy !== null || disabled}
      data-testid={`invitation-${what}`}
      onClick={busy !== null || disabled ? undefined : onClick}
    >
      {busy === what && <span className="spinner spinner-small" aria-hidden="true" />}
      {label}
    </button>
  );

  return (
    <li
      className="invitation"
      data-testid="invitation"
      data-direction={invitation.direction}
      data-folder={invitation.folder}
    >
      <p className="invitation-text">
        {incoming ? (
          <>
            <strong>{invitation.owner}</strong> invites you to <strong>{invitation.folder}</strong>
            ,{' '}
          </>
        ) : (
          <>
            You invited <strong>{invitation.invitee}</strong> to{' '}
            <strong>{invitation.folder}</strong>,{' '}
          </>
        )}
        {permissionLabel(invitation.permission)}.
      </p>
      {alias !== null && (
        <TextField
          label="Accept under the name"
          value={alias}
          errors={[
            ...(aliasProblem && alias !== '' ? [aliasProblem] : []),
            ...(clash && failure ? [fieldError(failure) ?? failure.message] : []),
          ]}
          testId="invitation-alias"
          onChange={(next) => {
            setAlias(next);
            setFailure(null);
          }}
        />
      )}
      {!clash && <FormError error={failure} testId="invitation-error" />}
      <div className="invitation-actions">
        {incoming && alias === null && button('accept', 'Accept', () => void respond(true))}
        {incoming && alias === null && button('open-alias', 'Accept as…', () => setAlias(''))}
        {incoming &&
          alias !== null &&
          button(
            'accept-as',
            'Accept',
            () => void respond(true, alias),
            aliasProblem !== undefined,
          )}
        {incoming && button('reject', 'Reject', () => void respond(false))}
        {!incoming &&
          button(
            'cancel',
            'Cancel invitation',
            () =>
              void act('cancel', () =>
                foldersStore
                  .getState()
                  .change(hostId, 'folders:cancel', { invitation: invitation.id }),
              ),
          )}
      </div>
    </li>
  );
}
