import type { JSX } from 'react';
import type { AppError } from '../../../../common/contract/result';
import { CodeText } from '../../components/CodeText';
import { Icon } from '../../components/Icon';
import {
  HOST_KEY_CHANGED_ADVICE,
  HOST_KEY_CHANGED_CODE,
  parseHostKeyChange,
} from './host-key-change';
import { KeyCompare } from './KeyCompare';

/** Props of {@link ConnectionFailure}. */
export interface ConnectionFailureProps {
  readonly error: AppError;
  /** Opens the dialog where the user types the fingerprint they verified (changed key only). */
  readonly onVerifiedNewKey: () => void;
}

/**
 * Why a connection failed, with the hint that fixes it. A changed host key is a stop, not a
 * question: the old and new fingerprints side by side, advice to verify, and no accept button —
 * only "I have verified the new key…", which asks the user to type the fingerprint they checked.
 */
export function ConnectionFailure({
  error,
  onVerifiedNewKey,
}: ConnectionFailureProps): JSX.Element {
  if (error.code === HOST_KEY_CHANGED_CODE) {
    return <HostKeyChanged error={error} onVerifiedNewKey={onVerifiedNewKey} />;
  }
  return (
    <div className="alert-box alert-danger" role="alert" data-testid="connection-error">
      <p className="alert-message">
        <CodeText text={error.message} />
      </p>
      {error.hint && (
        <p className="alert-hint" data-testid="connection-hint">
          <CodeText text={error.hint} />
        </p>
      )}
      <p className="alert-code">{error.code}</p>
    </div>
  );
}

function HostKeyChanged({ error, onVerifiedNewKey }: ConnectionFailureProps): JSX.Element {
  const change = parseHostKeyChange(error.message);
  return (
    <div className="alert-box alert-warning" role="alert" data-testid="host-key-changed">
      <p className="alert-title">
        <Icon name="warning" />
        This host&apos;s key has changed — LabDeck refused to log in
      </p>
      {change ? (
        <>
          <KeyCompare change={change} />
          <p className="alert-message">
            Someone may be intercepting the connection, or the server was reinstalled.
          </p>
        </>
      ) : (
        <p className="alert-message">{error.message}</p>
      )}
      <p className="alert-hint" data-testid="host-key-advice">
        {HOST_KEY_CHANGED_ADVICE}
      </p>
      <button
        type="button"
        className="button"
        data-testid="host-key-verified"
        onClick={onVerifiedNewKey}
      >
        I have verified the new key…
      </button>
    </div>
  );
}
