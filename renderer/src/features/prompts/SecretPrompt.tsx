import { useRef, useState, type FormEvent, type JSX } from 'react';
import { CheckboxField } from '../../components/CheckboxField';
import { Dialog } from '../../components/Dialog';
import { TextField } from '../../components/TextField';
import { useApp } from '../../stores/stores';
import type { PromptBodyProps } from './PromptDialog';
import {
  rememberOption,
  secretPromptText,
  secretRetryText,
  type SecretRequest,
} from './prompt-text';

/** Props of {@link SecretPrompt}. */
export interface SecretPromptProps extends PromptBodyProps {
  readonly request: SecretRequest;
}

/**
 * Asks for a key's passphrase or a login password, with "Remember" labelled by where the secret
 * would be kept: the OS keychain in the desktop app, the server's memory in browser mode. Where
 * it cannot be kept (a desktop without a keychain) the box is disabled, says why, and the answer
 * says `remember: false`. A sudo password is never kept, so it has no such box. After a wrong
 * answer it says so above the field.
 */
export function SecretPrompt({
  request,
  busy,
  onAnswer,
  onCancel,
}: SecretPromptProps): JSX.Element {
  const info = useApp((s) => s.info);
  const [secret, setSecret] = useState('');
  const [remember, setRemember] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const text = secretPromptText(request);
  const option = rememberOption(info);
  const canRemember = request.kind !== 'sudo-password';

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (busy) return;
    onAnswer({ kind: 'secret', secret, remember: canRemember && option.enabled && remember });
  };

  return (
    <Dialog
      title={text.title}
      role="alertdialog"
      onDismiss={onCancel}
      initialFocus={input}
      testId="prompt-dialog"
      className="prompt-dialog"
    >
      <form className="form" noValidate onSubmit={submit} data-prompt-kind={request.kind}>
        <p className="dialog-text">{text.lede}</p>
        {request.retry && (
          <p className="form-error" role="alert" data-testid="prompt-retry">
            {secretRetryText(request)}
          </p>
        )}
        <TextField
          label={text.label}
          type="password"
          value={secret}
          onChange={setSecret}
          inputRef={input}
          autoComplete={request.kind === 'password' ? 'current-password' : 'off'}
          testId="prompt-secret"
        />
        {canRemember && (
          <CheckboxField
            label={option.label}
            checked={option.enabled && remember}
            disabled={!option.enabled}
            help={option.note}
            testId="prompt-remember"
            onChange={setRemember}
          />
        )}
        <div className="dialog-actions">
          <button type="button" className="button" data-testid="prompt-cancel" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            aria-disabled={busy}
            data-testid="prompt-submit"
          >
            {busy && <span className="spinner" aria-hidden="true" />}
            {text.submit}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
