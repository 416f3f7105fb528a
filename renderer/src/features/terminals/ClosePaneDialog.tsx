import { useRef, useState, type JSX } from 'react';
import { FormError } from '../../components/FormError';
import type { AppError } from '../../../../common/contract/result';
import { Dialog } from '../../components/Dialog';

/** Props of {@link ClosePaneDialog}. */
export interface ClosePaneDialogProps {
  /** What is closed, e.g. "lab" or "3 terminals of this tab". */
  readonly what: string;
  /** Closes the pane(s): `end` stops the terminal, `detach` keeps it running. */
  readonly onChoose: (how: 'end' | 'detach') => Promise<AppError | null>;
  readonly onClose: () => void;
}

/**
 * Asks how to close a terminal: end it (its process is hung up and its output dropped) or only
 * close the pane and keep it running, to find again under Running terminals. Cancel has the
 * focus, so an Enter right after the click keeps everything as it was.
 */
export function ClosePaneDialog({ what, onChoose, onClose }: ClosePaneDialogProps): JSX.Element {
  const cancel = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const choose = async (how: 'end' | 'detach'): Promise<void> => {
    if (busy) return;
    setBusy(true);
    const failed = await onChoose(how);
    setBusy(false);
    if (failed) return setError(failed);
    onClose();
  };

  return (
    <Dialog
      title={`Close ${what}?`}
      role="alertdialog"
      onDismiss={onClose}
      initialFocus={cancel}
      testId="terminal-close-dialog"
    >
      <p className="dialog-text">
        End the terminal to stop what runs in it. Keep it running to close only the pane: the
        terminal goes on, and Running terminals opens it again with what it printed meanwhile.
      </p>
      <FormError error={error} />
      <div className="dialog-actions">
        <button ref={cancel} type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button"
          aria-disabled={busy}
          data-testid="terminal-close-detach"
          onClick={() => void choose('detach')}
        >
          Keep running
        </button>
        <button
          type="button"
          className="button button-danger"
          aria-disabled={busy}
          data-testid="terminal-close-end"
          onClick={() => void choose('end')}
        >
          {busy && <span className="spinner" aria-hidden="true" />}
          End terminal
        </button>
      </div>
    </Dialog>
  );
}
