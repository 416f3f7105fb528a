import { useRef, type JSX } from 'react';
import { Dialog } from '../../components/Dialog';
import { useFolders } from '../../stores/stores';
import { incomingPending, outgoingPending } from './folder-view';
import { InvitationItem } from './InvitationItem';

/** Props of {@link InvitationsDialog}. */
export interface InvitationsDialogProps {
  readonly hostId: string;
  readonly hostName: string;
  readonly onClose: () => void;
}

/**
 * The invitations inbox of one host: those waiting for your answer, and those you sent that
 * are still pending. It follows the store, so an answered invitation leaves the list.
 */
export function InvitationsDialog({
  hostId,
  hostName,
  onClose,
}: InvitationsDialogProps): JSX.Element {
  const entry = useFolders((s) => s.byHost[hostId]);
  const close = useRef<HTMLButtonElement>(null);
  const listing = entry?.phase === 'loaded' ? entry.listing : null;
  const incoming = incomingPending(listing?.invitations ?? []);
  const outgoing = outgoingPending(listing?.invitations ?? []);

  return (
    <Dialog
      title={`Invitations on ${hostName}`}
      onDismiss={onClose}
      initialFocus={close}
      testId="invitations-dialog"
    >
      <section aria-label="To you" data-testid="invitations-incoming">
        <h3 className="import-heading">To you</h3>
        {incoming.length === 0 ? (
          <p className="muted">No invitation is waiting for your answer.</p>
        ) : (
          <ul className="invitation-list">
            {incoming.map((invitation) => (
              <InvitationItem
                key={invitation.id}
                hostId={hostId}
                invitation={invitation}
                listing={listing!}
              />
            ))}
          </ul>
        )}
      </section>
      <section aria-label="From you" data-testid="invitations-outgoing">
        <h3 className="import-heading">From you, pending</h3>
        {outgoing.length === 0 ? (
          <p className="muted">No invitation of yours is pending.</p>
        ) : (
          <ul className="invitation-list">
            {outgoing.map((invitation) => (
              <InvitationItem
                key={invitation.id}
                hostId={hostId}
                invitation={invitation}
                listing={listing!}
              />
            ))}
          </ul>
        )}
      </section>
      <div className="dialog-actions">
        <button ref={close} type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
