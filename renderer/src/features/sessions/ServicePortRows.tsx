import { useId, type JSX } from 'react';
import { SERVICE_PORT_PROTOCOLS, type ServicePortRow } from '../../../../common/service-ports';
import { EditableRows } from '../../components/EditableRows';
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
  const helpId = useId();
  return (
    <fieldset className="fieldset" data-testid="session-form-ports" aria-describedby={helpId}>
      <legend className="field-label">Services</legend>
      <p className="field-help" id={helpId}>
        Ports the session serves, forwarded to this computer: Jupyter as jupyter · http · 8888.
        Ports 1025–65534; a list as [8080,8081].
      </p>
      <EditableRows
        rows={rows}
        onChange={onChange}
        emptyRow={EMPTY_PORT_ROW}
        listClassName="port-rows"
        rowClassName="port-row"
        rowTestId="session-port-row"
        removeLabel={(i) => `Remove service ${i + 1}`}
        addLabel="Add service"
        addTestId="session-port-add"
        renderRow={({ row, index: i, set }) => (
          <>
            <TextField
              label={`Name of service ${i + 1}`}
              value={row.name}
              placeholder="jupyter"
              errors={errors[`ports.${i}.name`]}
              testId={`session-port-${i}-name`}
              onChange={(name) => set({ ...row, name })}
            />
            <ProtocolSelect
              index={i}
              value={row.protocol}
              errors={errors[`ports.${i}.protocol`]}
              onChange={(protocol) => set({ ...row, protocol })}
            />
            <TextField
              label={`Port of service ${i + 1}`}
              value={row.port}
              placeholder="8888"
              inputMode="numeric"
              errors={errors[`ports.${i}.port`]}
              testId={`session-port-${i}-port`}
              onChange={(port) => set({ ...row, port })}
            />
          </>
        )}
      >
        {errors.ports && (
          <ul className="field-errors" data-testid="session-form-ports-errors">
            {errors.ports.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        )}
      </EditableRows>
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
