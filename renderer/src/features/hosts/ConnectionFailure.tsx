import type { JSX } from 'react';
import type { AppError } from '../../../../common/contract/result';
import { CodeText } from '../../components/CodeText';
import { Icon } from '../../components/Icon';
import {
  HOST_KEY_CHANGED_ADVICE,
  HOST_KEY_CHANGED_CODE,
  parseHostKeyChange,
  type KeyFingerprint,
} from './host-key-change';

/** Props of {@link ConnectionFailure}. */
export interface ConnectionFailureProps {
  readonly error: AppError;
}

/**
 * Why a connection failed, with the hint that fixes it. A changed host key is a stop, not a
 * question: the old and new fingerprints side by side, advice to verify, and no accept button.
 */
export function ConnectionFailure({ error }: ConnectionFailureProps): JSX.Element {
  if (error.code === HOST_KEY_CHANGED_CODE) return <HostKeyChanged error={error} />;
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

function HostKeyChanged({ error }: ConnectionFailureProps): JSX.Element {
  const change = parseHostKeyChange(error.message);
  return (
    <div className="alert-box alert-warning" role="alert" data-testid="host-key-changed">
      <p className="alert-title">
        <Icon name="warning" />
        This host&apos;s key has changed — LabDeck refused to log in
      </p>
      {change ? (
        <>
          <div className="key-compare">
            <KeyColumn title="Known key" keys={change.known} />
            <KeyColumn title="Offered now" keys={[change.offered]} />
          </div>
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
    </div>
  );
}

function KeyColumn(props: { title: string; keys: readonly KeyFingerprint[] }): JSX.Element {
  return (
    <section className="key-column" aria-label={props.title}>
      <h3 className="key-title">{props.title}</h3>
      {props.keys.map((key) => (
        <div key={`${key.type} ${key.fingerprint}`} className="key-entry">
          <span className="key-type">{key.type}</span>
          <code className="fingerprint">{key.fingerprint}</code>
          {key.source && <span className="key-source">{key.source}</span>}
        </div>
      ))}
    </section>
  );
}
