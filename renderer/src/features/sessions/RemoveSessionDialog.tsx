import type { JSX } from 'react';
import type { Session } from '../../../../common/contract/sessions';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { sessionsStore, uiStore } from '../../stores/stores';

/** Props of {@link RemoveSessionDialog}. */
export interface RemoveSessionDialogProps {
  readonly session: Session;
  readonly onClose: () => void;
}

/**
 * Asks before removing a session: its container and whatever it wrote outside mounted folders
 * go. Cancel has the focus, so an Enter right after the click keeps the session.
 */
export function RemoveSessionDialog({ session, onClose }: RemoveSessionDialogProps): JSX.Element {
  return (
    <ConfirmDialog
      title={`Remove ${session.name}?`}
      body={
        <>
          LabDeck stops <strong>{session.name}</strong> on {session.host} if it runs, removes its
          container and closes its forwards. Files it wrote inside the container, outside mounted
          folders, are lost; its GPU shares become free.
        </>
      }
      confirmLabel="Remove session"
      onConfirm={() => sessionsStore.getState().remove(session)}
      onConfirmed={() => {
        uiStore.getState().showToast({ kind: 'success', message: `Removed ${session.name}.` });
        onClose();
      }}
      onClose={onClose}
      testId="remove-session-dialog"
      confirmTestId="remove-session-confirm"
    />
  );
}
