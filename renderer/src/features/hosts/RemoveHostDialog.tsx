import { useRef, useState, type JSX } from 'react';
import type { AppError } from '../../../../common/contract/result';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { CodeText } from '../../components/CodeText';
import { Dialog } from '../../components/Dialog';
import { hostsStore, uiStore } from '../../stores/stores';

/** Props of {@link RemoveHostDialog}. */
export interface RemoveHostDialogProps {
  readonly host: HostSummary;
  readonly onClose: () => void;
  /** Called instead of `onClose` once the host is gone (its card, and the opener, with it). */
  readonly onRemoved: () => void;
}

/**
 * Asks before forgetting a host. Cancel has the focus, so Enter right after the click that
 * opened the dialog keeps the host; a failure stays in the dialog with its reason.
 */
export function RemoveHostDialog({ host, onClose, onRemoved }: RemoveHostDialogProps): JSX.Element {
  const cancel = useRef<HTMLButtonElement>(null);
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const confirm = async (): Promise<void> => {
    if (removing) return;
    setRemoving(true);
    const result = await hostsStore.getState().remove(host.id);
    setRemoving(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    uiStore.getState().showToast({ kind: 'success', message: `Removed ${host.name}.` });
    onRemoved();
  };

  return (
    <Dialog
      title={`Remove ${host.name}?`}
      role="alertdialog"
      onDismiss={onClose}
      initialFocus={cancel}
      testId="remove-host-dialog"
    >
      <p className="dialog-text">
        LabDeck disconnects from <strong>{host.name}</strong> ({host.address}) and forgets it.
        Nothing on the host itself is changed, and you can add it again later.
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
          data-testid="remove-host-confirm"
          onClick={() => void confirm()}
        >
          {removing && <span className="spinner" aria-hidden="true" />}
          Remove host
        </button>
      </div>
    </Dialog>
  );
}
