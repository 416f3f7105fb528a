import type { JSX } from 'react';
import { EditableRows } from '../../components/EditableRows';
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
  return (
    <fieldset className="fieldset" data-testid="host-form-jump">
      <legend className="field-label">Jump hosts</legend>
      <p className="field-help">
        Optional. Hosts to go through first (ProxyJump), as <code>user@host</code> or{' '}
        <code>user@host:port</code>.
      </p>
      <EditableRows
        rows={rows}
        onChange={onChange}
        emptyRow=""
        listClassName="jump-rows"
        rowClassName="jump-row"
        removeLabel={(i) => `Remove jump host ${i + 1}`}
        removeTestId={(i) => `host-form-jump-remove-${i}`}
        addLabel="Add jump host"
        addDisabled={rows.length >= MAX_JUMP_HOPS}
        addTestId="host-form-jump-add"
        renderRow={({ row, index, set }) => (
          <TextField
            label={`Jump host ${index + 1}`}
            value={row}
            placeholder="user@bastion.example.org:22"
            errors={errors[`jump.${index}`]}
            testId={`host-form-jump-${index}`}
            onChange={set}
          />
        )}
      />
    </fieldset>
  );
}
