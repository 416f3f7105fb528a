import { useId, type JSX } from 'react';

/** Props of {@link CheckboxField}. */
export interface CheckboxFieldProps {
  readonly label: string;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
  /** A quiet line under the label: what ticking it does, or why it cannot be ticked. */
  readonly help?: string | null;
  readonly disabled?: boolean;
  readonly testId?: string;
}

/** A labelled checkbox with its help line tied to it (`aria-describedby`). */
export function CheckboxField({
  label,
  checked,
  onChange,
  help,
  disabled = false,
  testId,
}: CheckboxFieldProps): JSX.Element {
  const id = useId();
  const helpId = `${id}-help`;
  return (
    <div className="checkbox-field">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        aria-describedby={help ? helpId : undefined}
        data-testid={testId}
        onChange={(event) => onChange(event.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      {help && (
        <p className="field-help" id={helpId}>
          {help}
        </p>
      )}
    </div>
  );
}
