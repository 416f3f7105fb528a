import { useRef, useState, type JSX } from 'react';
import type { AppError } from '../../../../common/contract/result';
import type { Session } from '../../../../common/contract/sessions';
import { CodeText } from '../../components/CodeText';
import { Dialog } from '../../components/Dialog';
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
  const cancel = useRef<HTMLButtonElement>(null);
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const confirm = async (): Promise<void> => {
    if (removing) return;
    setRemoving(true);
    const result = await sessionsStore.getState().remove(session);
    setRemoving(false);
    if (!result.ok) return setError(result.error);
    uiStore.getState().showToast({ kind: 'success', message: `Removed ${session.name}.` });
    onClose();
  };

  return (
    <Dialog
      title={`Remove ${session.name}?`}
      role="alertdialog"
      onDismiss={onClose}
      initialFocus={cancel}
      testId="remove-session-dialog"
    >
      <p className="dialog-text">
        LabDeck stops <strong>{session.name}</strong> on {session.host} if it runs, removes its
        container and closes its forwards. Files it wrote inside the container, outside mounted
        folders, are lost; its GPU shares become free.
      </p>
      {error && (
        <div className="form-error" role="alert">
          <p>{error.message}</p>
          {error.hint && (
            <p className="muted">
              <CodeText text={error.hint} />
            </p>
          )}
        </div>
      )}
      <div className="dialog-actions">
        <button ref={cancel} type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          aria-disabled={removing}
          data-testid="remove-session-confirm"
          onClick={() => void confirm()}
        >
          {removing && <span className="spinner" aria-hidden="true" />}
          Remove session
        </button>
      </div>
    </Dialog>
  );
}
