import { useId, type JSX } from 'react';
import { EditableRows } from '../../components/EditableRows';
import { TextField } from '../../components/TextField';
import { EMPTY_VOLUME_ROW, type HostSetupFormErrors, type VolumeRow } from './host-setup-form';

/** Props of {@link VolumeRows}. */
export interface VolumeRowsProps {
  readonly rows: readonly VolumeRow[];
  readonly errors: HostSetupFormErrors;
  readonly onChange: (rows: readonly VolumeRow[]) => void;
}

/**
 * The storage volumes to add or update: one row each of name and path, checked with the lab
 * configuration's own rules (common/host-setup/lab-config.ts), each error under its field. A
 * row left blank is ignored. A new row takes focus; removing one moves focus to "Add volume".
 */
export function VolumeRows({ rows, errors, onChange }: VolumeRowsProps): JSX.Element {
  const helpId = useId();
  return (
    <fieldset className="fieldset" data-testid="setup-volumes" aria-describedby={helpId}>
      <legend className="field-label">Volumes to add or update</legend>
      <p className="field-help" id={helpId}>
        Where folders live: an existing directory, e.g. scratch at /data/scratch. Setup finds from
        the mount whether it can hold folders with quotas (XFS with project quota). A volume named
        again gets the new path; setup never removes one.
      </p>
      <EditableRows
        rows={rows}
        onChange={onChange}
        emptyRow={EMPTY_VOLUME_ROW}
        listClassName="setup-volume-rows"
        rowClassName="setup-volume-row"
        rowTestId="setup-volume-row"
        removeLabel={(i) => `Remove volume ${i + 1}`}
        removeTestId={(i) => `setup-volume-${i}-remove`}
        addLabel="Add volume"
        addTestId="setup-volume-add"
        renderRow={({ row, index: i, set }) => (
          <>
            <TextField
              label={`Name of volume ${i + 1}`}
              value={row.name}
              placeholder="scratch"
              errors={errors[`volumes.${i}.name`]}
              testId={`setup-volume-${i}-name`}
              onChange={(name) => set({ ...row, name })}
            />
            <TextField
              label={`Path of volume ${i + 1}`}
              value={row.path}
              placeholder="/data/scratch"
              errors={errors[`volumes.${i}.path`]}
              testId={`setup-volume-${i}-path`}
              onChange={(path) => set({ ...row, path })}
            />
          </>
        )}
      />
    </fieldset>
  );
}
