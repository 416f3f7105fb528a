import { useRef, type JSX } from 'react';
import type { PromptRequest } from '../../../../common/ssh/prompts';
import { Dialog } from '../../components/Dialog';
import type { PromptBodyProps } from './PromptDialog';

/** Props of {@link HostKeyPrompt}. */
export interface HostKeyPromptProps extends PromptBodyProps {
  readonly request: Extract<PromptRequest, { kind: 'host-key-unknown' }>;
}

/**
 * Asks whether to trust a host LabDeck has never seen, showing the key's SHA256 fingerprint to
 * compare with the administrator's. Cancel has the focus and there is no form: Enter or Space
 * right after the dialog appears cancels, so trusting always takes a deliberate second step.
 */
export function HostKeyPrompt({
  request,
  busy,
  onAnswer,
  onCancel,
}: HostKeyPromptProps): JSX.Element {
  const cancel = useRef<HTMLButtonElement>(null);

  return (
    <Dialog
      title={`Trust ${request.host}?`}
      role="alertdialog"
      onDismiss={onCancel}
      initialFocus={cancel}
      testId="prompt-dialog"
      className="prompt-dialog"
    >
      <div data-prompt-kind={request.kind}>
        <p className="dialog-text">
          LabDeck has not connected to this host before and cannot tell whether it is the machine
          you mean. Compare the fingerprint with the one the server&apos;s administrator gives you (
          <code>ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub</code> on the server).
        </p>
        <dl className="fact-list" data-testid="host-key-facts">
          <dt>Host</dt>
          <dd>{request.host}</dd>
          <dt>Port</dt>
          <dd>{request.port}</dd>
          <dt>Key type</dt>
          <dd>{request.keyType}</dd>
          <dt>Fingerprint</dt>
          <dd>
            <code className="fingerprint" data-testid="host-key-fingerprint">
              {request.fingerprint}
            </code>
          </dd>
        </dl>
        <div className="dialog-actions">
          <button
            ref={cancel}
            type="button"
            className="button"
            data-testid="prompt-cancel"
            onClick={onCancel}
          >
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            aria-disabled={busy}
            data-testid="prompt-trust"
            onClick={busy ? undefined : () => onAnswer({ kind: 'trust', trust: true })}
          >
            {busy && <span className="spinner" aria-hidden="true" />}
            Trust and connect
          </button>
        </div>
      </div>
    </Dialog>
  );
}
