import { useId, useRef, type JSX } from 'react';
import { SERVICE_PORT_PROTOCOLS, type ServicePortRow } from '../../../../common/service-ports';
import { TextField } from '../../components/TextField';
import { EMPTY_PORT_ROW, type SessionFormErrors } from './session-form';

/** Props of {@link ServicePortRows}. */
export interface ServicePortRowsProps {
  readonly rows: readonly ServicePortRow[];
  readonly errors: SessionFormErrors;
  readonly onChange: (rows: readonly ServicePortRow[]) => void;
}

/**
 * The session's services: one row each of name, protocol and port, checked as typed by the rules
 * main uses (common/service-ports.ts), each error under its own field. A row left blank is
 * ignored. A new row takes focus; removing one moves focus to "Add service".
 */
export function ServicePortRows({ rows, errors, onChange }: ServicePortRowsProps): JSX.Element {
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const addButton = useRef<HTMLButtonElement>(null);
  const helpId = useId();
  const add = (): void => {
    onChange([...rows, EMPTY_PORT_ROW]);
    requestAnimationFrame(() => inputs.current[rows.length]?.focus());
  };
  const remove = (index: number): void => {
    onChange(rows.filter((_, i) => i !== index));
    addButton.current?.focus();
  };
  const patch = (index: number, change: Partial<ServicePortRow>): void =>
    onChange(rows.with(index, { ...rows[index]!, ...change }));

  return (
    <fieldset className="fieldset" data-testid="session-form-ports" aria-describedby={helpId}>
      <legend className="field-label">Services</legend>
      <p className="field-help" id={helpId}>
        Ports the session serves, forwarded to this computer: Jupyter as jupyter · http · 8888.
        Ports 1025–65534; a list as [8080,8081].
      </p>
      {rows.length > 0 && (
        <ol className="port-rows">
          {rows.map((row, i) => (
            <li key={i} className="port-row" data-testid="session-port-row">
              <TextField
                label={`Name of service ${i + 1}`}
                value={row.name}
                placeholder="jupyter"
                errors={errors[`ports.${i}.name`]}
                testId={`session-port-${i}-name`}
                inputRef={(el) => {
                  inputs.current[i] = el;
                }}
                onChange={(name) => patch(i, { name })}
              />
              <ProtocolSelect
                index={i}
                value={row.protocol}
                errors={errors[`ports.${i}.protocol`]}
                onChange={(protocol) => patch(i, { protocol })}
              />
              <TextField
                label={`Port of service ${i + 1}`}
                value={row.port}
                placeholder="8888"
                inputMode="numeric"
                errors={errors[`ports.${i}.port`]}
                testId={`session-port-${i}-port`}
                onChange={(port) => patch(i, { port })}
              />
              <button
                type="button"
                className="button"
                aria-label={`Remove service ${i + 1}`}
                onClick={() => remove(i)}
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}
      {errors.ports && (
        <ul className="field-errors" data-testid="session-form-ports-errors">
          {errors.ports.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
      <button
        ref={addButton}
        type="button"
        className="button"
        data-testid="session-port-add"
        onClick={add}
      >
        Add service
      </button>
    </fieldset>
  );
}

interface ProtocolSelectProps {
  readonly index: number;
  readonly value: string;
  readonly errors: readonly string[] | undefined;
  readonly onChange: (value: string) => void;
}

/** The protocol of one row; an image's label may name one not offered, which shows as such. */
function ProtocolSelect({ index, value, errors = [], onChange }: ProtocolSelectProps): JSX.Element {
  const id = useId();
  const invalid = errors.length > 0;
  const known = (SERVICE_PORT_PROTOCOLS as readonly string[]).includes(value);
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        Protocol of service {index + 1}
      </label>
      <select
        id={id}
        className="input"
        value={value}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-errors` : undefined}
        data-testid={`session-port-${index}-protocol`}
        onChange={(event) => onChange(event.target.value)}
      >
        {!known && <option value={value}>{value || '(none)'}</option>}
        {SERVICE_PORT_PROTOCOLS.map((protocol) => (
          <option key={protocol} value={protocol}>
            {protocol}
          </option>
        ))}
      </select>
      {invalid && (
        <ul
          className="field-errors"
          id={`${id}-errors`}
          data-testid={`session-port-${index}-protocol-errors`}
        >
          {errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
