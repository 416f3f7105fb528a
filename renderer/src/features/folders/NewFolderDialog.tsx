import { useId, useMemo, useRef, useState, type FormEvent, type JSX } from 'react';
import type { AppError } from '../../../../common/contract/result';
import { CheckboxField } from '../../components/CheckboxField';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { TextField } from '../../components/TextField';
import { foldersStore, uiStore } from '../../stores/stores';
import { checkNewFolder, fieldError, type NewFolderValues } from './folder-form';
import type { FolderListing } from './folder-view';

/** Props of {@link NewFolderDialog}. */
export interface NewFolderDialogProps {
  readonly hostId: string;
  readonly hostName: string;
  readonly listing: FolderListing;
  readonly onClose: () => void;
}

/**
 * Makes a folder: its name checked as it is typed with the rule the host applies (and against
 * the folders already visible there), a volume of the host's, an optional quota as `10g`, and
 * whether others may clone it. Every error sits beside its field; Create stays disabled while
 * there is one. Enter creates, Escape closes.
 */
export function NewFolderDialog({
  hostId,
  hostName,
  listing,
  onClose,
}: NewFolderDialogProps): JSX.Element {
  const [values, setValues] = useState<NewFolderValues>({
    name: '',
    volume: listing.volumes[0]?.name ?? '',
    quota: '',
    cloneable: false,
    group: '',
  });
  const [typed, setTyped] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AppError | null>(null);
  const first = useRef<HTMLInputElement>(null);
  const volumeId = useId();
  const checked = useMemo(() => checkNewFolder(values, listing.folders), [values, listing]);
  const errors = checked.ok ? {} : checked.errors;
  const beside = failure && fieldError(failure);
  // An empty name is said once something was typed, or Create was tried.
  const nameErrors = [...(typed ? (errors.name ?? []) : []), ...(beside ? [beside] : [])];

  const set = (patch: Partial<NewFolderValues>): void => {
    setValues((v) => ({ ...v, ...patch }));
    setFailure(null);
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setTyped(true);
    if (busy || !checked.ok) return;
    setBusy(true);
    const result = await foldersStore.getState().change(hostId, 'folders:create', checked.input);
    setBusy(false);
    if (!result.ok) return setFailure(result.error);
    uiStore
      .getState()
      .showToast({ kind: 'success', message: `Made folder ${result.value.name} on ${hostName}.` });
    onClose();
  };

  return (
    <Dialog
      title={`New folder on ${hostName}`}
      onDismiss={onClose}
      initialFocus={first}
      testId="folder-new-dialog"
    >
      <form className="form" noValidate aria-busy={busy} onSubmit={(e) => void submit(e)}>
        <TextField
          label="Name"
          help="Letters, digits, “.”, “_” and “-”; a leading “.” makes a private dot-folder."
          value={values.name}
          inputRef={first}
          errors={nameErrors}
          testId="folder-new-name"
          onChange={(name) => {
            setTyped(true);
            set({ name });
          }}
        />
        <div className="field">
          <label className="field-label" htmlFor={volumeId}>
            Volume
          </label>
          <select
            id={volumeId}
            className="input"
            value={values.volume}
            aria-invalid={errors.volume ? true : undefined}
            data-testid="folder-new-volume"
            onChange={(e) => set({ volume: e.target.value })}
          >
            {listing.volumes.length === 0 && <option value="">No volume is declared</option>}
            {listing.volumes.map((volume) => (
              <option key={volume.name} value={volume.name}>
                {volume.name} — {volume.path} ({volume.kind})
              </option>
            ))}
          </select>
          {errors.volume && <p className="field-errors">{errors.volume.join(' ')}</p>}
        </div>
        <TextField
          label="Quota"
          help="Optional: 500m, 10g, 2TiB. Empty for no limit."
          placeholder="no limit"
          value={values.quota}
          errors={errors.quota}
          testId="folder-new-quota"
          onChange={(quota) => set({ quota })}
        />
        <TextField
          label="Group"
          help="Optional: a Unix group of yours makes it a group folder its members share."
          placeholder="none, a folder of your own"
          value={values.group}
          errors={errors.group}
          testId="folder-new-group"
          onChange={(group) => set({ group })}
        />
        <CheckboxField
          label="Others may clone it"
          help="Lets anyone who can read it copy it into a folder of their own."
          checked={values.cloneable}
          testId="folder-new-cloneable"
          onChange={(cloneable) => set({ cloneable })}
        />
        {!beside && <FormError error={failure} testId="folder-new-error" />}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={busy || !checked.ok || beside !== null}
            data-testid="folder-new-submit"
          >
            {busy && <span className="spinner" aria-hidden="true" />}
            Create
          </button>
        </div>
      </form>
    </Dialog>
  );
}
