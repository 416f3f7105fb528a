import { useId, type ClipboardEvent, type InputHTMLAttributes, type JSX, type Ref } from 'react';

/** Props of {@link TextField}. */
export interface TextFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** Every problem with the value, shown under the field and read out with it. */
  readonly errors?: readonly string[];
  /** A quiet line under the label: what the field is for or what it defaults to. */
  readonly help?: string;
  readonly type?: 'text' | 'password' | 'number';
  readonly inputRef?: Ref<HTMLInputElement>;
  readonly testId?: string;
  readonly name?: string;
  readonly placeholder?: string;
  readonly autoComplete?: string;
  readonly inputMode?: InputHTMLAttributes<HTMLInputElement>['inputMode'];
  readonly className?: string;
  /** Sees a paste first; calling `preventDefault()` keeps the pasted text out of the field. */
  readonly onPaste?: (event: ClipboardEvent<HTMLInputElement>) => void;
}

/**
 * A labelled text input with its help text and errors tied to it (`aria-describedby`,
 * `aria-invalid`), so a screen reader reads "Port, invalid, Port must be 1–65535." as one.
 */
export function TextField({
  label,
  value,
  onChange,
  errors = [],
  help,
  type = 'text',
  inputRef,
  testId,
  name,
  placeholder,
  autoComplete = 'off',
  inputMode,
  className,
  onPaste,
}: TextFieldProps): JSX.Element {
  const id = useId();
  const helpId = `${id}-help`;
  const errorId = `${id}-errors`;
  const invalid = errors.length > 0;
  const describedBy = [help ? helpId : null, invalid ? errorId : null].filter(Boolean).join(' ');

  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {help && (
        <p className="field-help" id={helpId}>
          {help}
        </p>
      )}
      <input
        ref={inputRef}
        id={id}
        name={name}
        className="input"
        type={type}
        value={value}
        placeholder={placeholder}
        autoComplete={autoComplete}
        inputMode={inputMode}
        spellCheck={false}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy || undefined}
        data-testid={testId}
        onChange={(event) => onChange(event.target.value)}
        onPaste={onPaste}
      />
      {invalid && (
        <ul className="field-errors" id={errorId} data-testid={testId && `${testId}-errors`}>
          {errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
