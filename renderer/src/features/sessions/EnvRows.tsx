import { useRef, type JSX } from 'react';
import { TextField } from '../../components/TextField';
import type { SessionFormErrors } from './session-form';

/** Props of {@link EnvRows}. */
export interface EnvRowsProps {
  readonly rows: readonly string[];
  readonly errors: SessionFormErrors;
  readonly onChange: (rows: readonly string[]) => void;
}

/** Environment variables of the session, one `NAME=value` per row; blank rows are ignored. */
export function EnvRows({ rows, errors, onChange }: EnvRowsProps): JSX.Element {
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const addButton = useRef<HTMLButtonElement>(null);
  const add = (): void => {
    onChange([...rows, '']);
    requestAnimationFrame(() => inputs.current[rows.length]?.focus());
  };
  const remove = (index: number): void => {
    onChange(rows.filter((_, i) => i !== index));
    addButton.current?.focus();
  };

  return (
    <fieldset className="fieldset" data-testid="session-form-env">
      <legend className="field-label">Environment</legend>
      {rows.length > 0 && (
        <ol className="jump-rows">
          {rows.map((row, i) => (
            <li key={i} className="jump-row">
              <TextField
                label={`Variable ${i + 1}`}
                value={row}
                placeholder="HF_HOME=/data/hf"
                errors={errors[`env.${i}`]}
                testId={`session-env-${i}`}
                inputRef={(el) => {
                  inputs.current[i] = el;
                }}
                onChange={(value) => onChange(rows.with(i, value))}
              />
              <button
                type="button"
                className="button"
                aria-label={`Remove variable ${i + 1}`}
                onClick={() => remove(i)}
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}
      <button ref={addButton} type="button" className="button" onClick={add}>
        Add variable
      </button>
    </fieldset>
  );
}
