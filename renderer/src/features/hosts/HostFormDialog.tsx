import { useEffect, useRef, useState, type ClipboardEvent, type FormEvent, type JSX } from 'react';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { CheckboxField } from '../../components/CheckboxField';
import { Dialog } from '../../components/Dialog';
import { TextField } from '../../components/TextField';
import { hostsStore, uiStore } from '../../stores/stores';
import {
  checkHostForm,
  emptyHostForm,
  fieldErrorsFromServer,
  hostFormFrom,
  type HostFormErrors,
  type HostFormTextField,
  type HostFormValues,
} from './host-form';
import { JumpHostsField } from './JumpHostsField';
import { parsePastedAddress, pastedFields, type PastedAddress } from './pasted-address';

/** Props of {@link HostFormDialog}: no host to add one, a host to edit it. */
export interface HostFormDialogProps {
  readonly host?: HostSummary;
  readonly onClose: () => void;
  /** A host was added; `connect` when "Connect after adding" was ticked. Else onClose is called. */
  readonly onAdded?: (host: HostSummary, connect: boolean) => void;
}

/**
 * Adds or edits an SSH host. Every field is checked with the schema main uses and every error
 * shows next to its field at once; errors from the services (a taken name) land there too.
 * Enter submits from any field; Escape closes. A `user@host:port` or a whole ssh command pasted
 * into Hostname fills User, Hostname and Port (pasted-address.ts); a new host connects once
 * added unless "Connect after adding" is unticked.
 */
export function HostFormDialog({ host, onClose, onAdded }: HostFormDialogProps): JSX.Element {
  const [values, setValues] = useState<HostFormValues>(() =>
    host ? hostFormFrom(host) : emptyHostForm(),
  );
  const [errors, setErrors] = useState<HostFormErrors>({});
  const [saving, setSaving] = useState(false);
  const [shown, setShown] = useState(0);
  const [connectAfter, setConnectAfter] = useState(true);
  const [pasted, setPasted] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const first = useRef<HTMLInputElement>(null);

  // After each check that found errors, focus the first field in error, in reading order.
  useEffect(() => {
    if (shown > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [shown]);

  const set = (patch: Partial<HostFormValues>): void => setValues((v) => ({ ...v, ...patch }));
  const show = (found: HostFormErrors): void => {
    setErrors(found);
    setShown((n) => n + 1);
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (saving) return;
    const checked = checkHostForm(values);
    if (!checked.ok) return show(checked.errors);
    setSaving(true);
    const { add, update } = hostsStore.getState();
    const result = host ? await update(host.id, checked.input) : await add(checked.input);
    setSaving(false);
    if (!result.ok) return show(fieldErrorsFromServer(result.error));
    uiStore.getState().showToast({
      kind: 'success',
      message: host ? `Saved ${result.value.name}.` : `Added ${result.value.name}.`,
      hostId: result.value.id,
    });
    if (!host && onAdded) onAdded(result.value, connectAfter);
    else onClose();
  };

  // A pasted address or ssh command goes to the fields it names; anything else pastes as is.
  const onHostnamePaste = (event: ClipboardEvent<HTMLInputElement>): void => {
    const address = parsePastedAddress(event.clipboardData.getData('text/plain'));
    if (address === null) return setPasted(null);
    event.preventDefault();
    set(formPatch(address));
    setPasted(`Filled from the paste: ${pastedFields(address)}.`);
  };

  const field = (name: HostFormTextField) => ({
    value: values[name],
    errors: errors[name],
    testId: `host-form-${name}`,
    name,
    onChange: (value: string) => set({ [name]: value }),
  });

  return (
    <Dialog
      title={host ? `Edit ${host.name}` : 'Add an SSH host'}
      onDismiss={onClose}
      initialFocus={first}
      testId="host-form"
    >
      <form
        ref={form}
        className="form"
        noValidate
        onSubmit={(e) => void submit(e)}
        aria-busy={saving}
      >
        <TextField
          label="Name"
          inputRef={first}
          help="How LabDeck lists the host, e.g. gpu-7."
          {...field('name')}
        />
        <div className="field-row">
          <TextField label="User" autoComplete="username" {...field('user')} />
          <TextField label="Hostname" onPaste={onHostnamePaste} {...field('hostname')} />
          <TextField label="Port" inputMode="numeric" className="field-port" {...field('port')} />
        </div>
        <p className="field-help" role="status" data-testid="host-form-pasted">
          {pasted}
        </p>
        <TextField
          label="Identity file"
          help="Optional. Path of a private key; empty uses ssh-agent and ~/.ssh's default keys."
          placeholder="~/.ssh/id_ed25519"
          {...field('identityFile')}
        />
        <CheckboxField
          label="Use only this identity file"
          help="IdentitiesOnly: offer no other key, e.g. when ssh-agent holds many and the server allows few attempts."
          checked={values.identitiesOnly}
          testId="host-form-identitiesOnly"
          onChange={(identitiesOnly) => set({ identitiesOnly })}
        />
        <JumpHostsField rows={values.jump} errors={errors} onChange={(jump) => set({ jump })} />
        {!host && (
          <CheckboxField
            label="Connect after adding"
            checked={connectAfter}
            testId="host-form-connect"
            onChange={setConnectAfter}
          />
        )}
        {errors.form && (
          <div className="form-error" role="alert" data-testid="host-form-error">
            {errors.form.map((message) => (
              <p key={message}>{message}</p>
            ))}
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            aria-disabled={saving}
            data-testid="host-form-submit"
          >
            {saving && <span className="spinner" aria-hidden="true" />}
            {host ? 'Save' : 'Add host'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The form's values a pasted address changes: only the fields it names. */
function formPatch(address: PastedAddress): Partial<HostFormValues> {
  return {
    hostname: address.hostname,
    ...(address.user === undefined ? {} : { user: address.user }),
    ...(address.port === undefined ? {} : { port: String(address.port) }),
    ...(address.identityFile === undefined ? {} : { identityFile: address.identityFile }),
    ...(address.jump === undefined ? {} : { jump: address.jump }),
  };
}
