import { useRef, useState, type FormEvent, type JSX } from 'react';
import type { AppError } from '../../../../common/contract/result';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { CodeText } from '../../components/CodeText';
import { Dialog } from '../../components/Dialog';
import { TextField } from '../../components/TextField';
import { hostsStore, uiStore } from '../../stores/stores';
import { checkFingerprintInput } from './fingerprint-input';
import { HOST_KEY_CHANGED_CODE, parseHostKeyChange } from './host-key-change';
import { KeyCompare } from './KeyCompare';

/** Props of {@link ReplaceHostKeyDialog}. */
export interface ReplaceHostKeyDialogProps {
  readonly host: HostSummary;
  readonly onClose: () => void;
}

/**
 * "I have verified the new key": explains what accepting a changed key risks, shows the old and
 * offered fingerprints, and records the new key only after the user types (or pastes) the
 * fingerprint they verified with the administrator — the services then check that the server
 * presents exactly that key. There is no button that accepts without it.
 */
export function ReplaceHostKeyDialog({ host, onClose }: ReplaceHostKeyDialogProps): JSX.Element {
  const [typed, setTyped] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const { connection } = host;
  const failure = connection.phase === 'failed' ? connection.error : null;
  const change =
    failure?.code === HOST_KEY_CHANGED_CODE ? parseHostKeyChange(failure.message) : null;
  const checked = checkFingerprintInput(typed);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (saving || !checked.ready) return;
    setSaving(true);
    const result = await hostsStore.getState().replaceHostKey(host.id, checked.fingerprint);
    setSaving(false);
    if (!result.ok) return setError(result.error);
    uiStore.getState().showToast({ kind: 'success', message: 'New key recorded' });
    onClose();
  };

  return (
    <Dialog
      title={`Replace the host key of ${host.name}?`}
      role="alertdialog"
      onDismiss={onClose}
      initialFocus={input}
      testId="replace-key-dialog"
    >
      <form className="form" noValidate onSubmit={(e) => void submit(e)} aria-busy={saving}>
        <p className="dialog-text">
          Do this only if the server&apos;s administrator told you the key changed, for example
          because the server was reinstalled. If nobody changed it, someone may be intercepting the
          connection: they would see everything you send, passwords included, and could run commands
          as you.
        </p>
        {change ? (
          <KeyCompare change={change} />
        ) : (
          failure && <p className="dialog-text muted">{failure.message}</p>
        )}
        <TextField
          label="Fingerprint you verified"
          help="Type or paste what the administrator read to you from the server, e.g. with ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub. LabDeck records the key only if the server presents exactly this one."
          placeholder="SHA256:…"
          value={typed}
          errors={checked.ready || checked.error === null ? [] : [checked.error]}
          inputRef={input}
          testId="replace-key-fingerprint"
          onChange={(value) => {
            setTyped(value);
            setError(null);
          }}
        />
        {error && (
          <div className="form-error" role="alert" data-testid="replace-key-error">
            <p>
              <CodeText text={error.message} />
            </p>
            {error.hint && (
              <p className="muted">
                <CodeText text={error.hint} />
              </p>
            )}
            <p className="alert-code">{error.code}</p>
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-danger"
            disabled={!checked.ready}
            aria-disabled={saving || undefined}
            data-testid="replace-key-submit"
          >
            {saving && <span className="spinner" aria-hidden="true" />}
            Record the new key and connect
          </button>
        </div>
      </form>
    </Dialog>
  );
}
