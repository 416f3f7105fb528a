import { useRef, useState, type FormEvent, type JSX, type ReactNode } from 'react';
import type { AppError, Result } from '../../../../common/contract/result';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { TextField } from '../../components/TextField';
import { fieldError } from './folder-form';

/** Props of {@link FolderFieldDialog}. */
export interface FolderFieldDialogProps {
  readonly title: string;
  readonly label: string;
  readonly help?: string;
  readonly initial: string;
  /** What is wrong with the value as typed, or undefined; shown beside the field. */
  readonly check: (value: string) => string | undefined;
  readonly submitLabel: string;
  /** Sends it; a failure stays in the dialog, beside the field when it is about the value. */
  readonly onSubmit: (value: string) => Promise<Result<unknown>>;
  /** Called once `onSubmit` succeeded. */
  readonly onDone: (value: string) => void;
  readonly onClose: () => void;
  readonly testId: string;
  /** More of the form, below the field (a checkbox, a note). */
  readonly children?: ReactNode;
}

/**
 * A dialog of one checked text field — Rename, Set quota, Clone's target, Accept as… — that
 * shows its error beside the field as it is typed, keeps its button disabled while there is
 * one, shows a spinner while the request runs, and sends on Enter.
 */
export function FolderFieldDialog(props: FolderFieldDialogProps): JSX.Element {
  const { title, label, help, initial, check, submitLabel, onSubmit, onDone, onClose, testId } =
    props;
  const [value, setValue] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AppError | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const problem = check(value);
  const beside = failure && fieldError(failure);
  const errors = [problem, beside].filter((e): e is string => e !== undefined && e !== null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (busy || problem !== undefined) return;
    setBusy(true);
    const result = await onSubmit(value);
    setBusy(false);
    if (!result.ok) return setFailure(result.error);
    onDone(value);
  };

  return (
    <Dialog title={title} onDismiss={onClose} initialFocus={input} testId={testId}>
      <form className="form" noValidate aria-busy={busy} onSubmit={(e) => void submit(e)}>
        <TextField
          label={label}
          help={help}
          value={value}
          inputRef={input}
          errors={errors}
          testId={`${testId}-field`}
          onChange={(next) => {
            setValue(next);
            setFailure(null);
          }}
        />
        {props.children}
        {!beside && <FormError error={failure} testId={`${testId}-error`} />}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={busy || errors.length > 0}
            data-testid={`${testId}-submit`}
          >
            {busy && <span className="spinner" aria-hidden="true" />}
            {submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
