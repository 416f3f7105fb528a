import type { JSX } from 'react';
import { EditableRows } from '../../components/EditableRows';
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
  return (
    <fieldset className="fieldset" data-testid="session-form-env">
      <legend className="field-label">Environment</legend>
      <EditableRows
        rows={rows}
        onChange={onChange}
        emptyRow=""
        listClassName="jump-rows"
        rowClassName="jump-row"
        removeLabel={(i) => `Remove variable ${i + 1}`}
        addLabel="Add variable"
        renderRow={({ row, index, set }) => (
          <TextField
            label={`Variable ${index + 1}`}
            value={row}
            placeholder="HF_HOME=/data/hf"
            errors={errors[`env.${index}`]}
            testId={`session-env-${index}`}
            onChange={set}
          />
        )}
      />
    </fieldset>
  );
}
