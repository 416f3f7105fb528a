import { useRef, useState, type JSX, type ReactNode } from 'react';
import { FormError } from './FormError';
import type { AppError, Result } from '../../../common/contract/result';
import { Dialog } from './Dialog';

/** Props of {@link ConfirmDialog}. */
export interface ConfirmDialogProps {
  readonly title: string;
  /** What confirming does, as one `dialog-text` paragraph. */
  readonly body: ReactNode;
  /** The label of the danger button, e.g. "Remove host". */
  readonly confirmLabel: string;
  /** Does the step; a failure stays in the dialog with its message and hint. */
  readonly onConfirm: () => Promise<Result<unknown>>;
  /** Called once `onConfirm` succeeded; the parent unmounts the dialog. */
  readonly onConfirmed: () => void;
  /** Called on Cancel and Escape; the parent unmounts the dialog. */
  readonly onClose: () => void;
  readonly testId: string;
  readonly confirmTestId: string;
}

/**
 * Asks before a step that cannot be undone (removing a host, a session). Cancel has the focus, so
 * Enter right after the click that opened the dialog keeps things as they are. While the step
 * runs the danger button shows a spinner and ignores further clicks; a failure is shown above the
 * buttons and the dialog stays open.
 */
export function ConfirmDialog({
  title,
  body,
  confirmLabel,
  onConfirm,
  onConfirmed,
  onClose,
  testId,
  confirmTestId,
}: ConfirmDialogProps): JSX.Element {
  const cancel = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const confirm = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    const result = await onConfirm();
    setBusy(false);
    if (!result.ok) return setError(result.error);
    onConfirmed();
  };

  return (
    <Dialog
      title={title}
      role="alertdialog"
      onDismiss={onClose}
      initialFocus={cancel}
      testId={testId}
    >
      <p className="dialog-text">{body}</p>
      <FormError error={error} />
      <div className="dialog-actions">
        <button ref={cancel} type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          aria-disabled={busy}
          data-testid={confirmTestId}
          onClick={() => void confirm()}
        >
          {busy && <span className="spinner" aria-hidden="true" />}
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
