import { useRef, type JSX } from 'react';
import { TextField } from '../../components/TextField';
import type { HostFormErrors } from './host-form';

/** The most hops a chain may have, as the schema allows. */
const MAX_JUMP_HOPS = 8;

/** Props of {@link JumpHostsField}. */
export interface JumpHostsFieldProps {
  readonly rows: readonly string[];
  readonly errors: HostFormErrors;
  readonly onChange: (rows: readonly string[]) => void;
}

/**
 * The ProxyJump chain: one `user@host:port` row per hop, first hop first, with a button to add a
 * row and one to remove each. A new row takes focus; removing one moves focus to "Add jump host"
 * so the keyboard user is never left on a button that vanished.
 */
export function JumpHostsField({ rows, errors, onChange }: JumpHostsFieldProps): JSX.Element {
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const addButton = useRef<HTMLButtonElement>(null);

  const add = (): void => {
    onChange([...rows, '']);
    // The row exists after React renders; focus it then.
    requestAnimationFrame(() => inputs.current[rows.length]?.focus());
  };
  const remove = (index: number): void => {
    onChange(rows.filter((_, i) => i !== index));
    addButton.current?.focus();
  };

  return (
    <fieldset className="fieldset" data-testid="host-form-jump">
      <legend className="field-label">Jump hosts</legend>
      <p className="field-help">
        Optional. Hosts to go through first (ProxyJump), as <code>user@host</code> or{' '}
        <code>user@host:port</code>.
      </p>
      {rows.length > 0 && (
        <ol className="jump-rows">
          {rows.map((row, i) => (
            <li key={i} className="jump-row">
              <TextField
                label={`Jump host ${i + 1}`}
                value={row}
                placeholder="user@bastion.example.org:22"
                errors={errors[`jump.${i}`]}
                testId={`host-form-jump-${i}`}
                inputRef={(el) => {
                  inputs.current[i] = el;
                }}
                onChange={(value) => onChange(rows.with(i, value))}
              />
              <button
                type="button"
                className="button"
                aria-label={`Remove jump host ${i + 1}`}
                data-testid={`host-form-jump-remove-${i}`}
                onClick={() => remove(i)}
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}
      <button
        ref={addButton}
        type="button"
        className="button"
        disabled={rows.length >= MAX_JUMP_HOPS}
        data-testid="host-form-jump-add"
        onClick={add}
      >
        Add jump host
      </button>
    </fieldset>
  );
}
