import type { JSX } from 'react';
import type { HostKeyChange, KeyFingerprint } from './host-key-change';

/** Props of {@link KeyCompare}. */
export interface KeyCompareProps {
  readonly change: HostKeyChange;
}

/**
 * The keys on record and the key a host offers now, side by side, each with its type, SHA256
 * fingerprint and (for known keys) the `known_hosts` line it comes from.
 */
export function KeyCompare({ change }: KeyCompareProps): JSX.Element {
  return (
    <div className="key-compare" data-testid="key-compare">
      <KeyColumn title="Known key" keys={change.known} testId="key-known" />
      <KeyColumn title="Offered now" keys={[change.offered]} testId="key-offered" />
    </div>
  );
}

interface KeyColumnProps {
  readonly title: string;
  readonly keys: readonly KeyFingerprint[];
  readonly testId: string;
}

function KeyColumn({ title, keys, testId }: KeyColumnProps): JSX.Element {
  return (
    <section className="key-column" aria-label={title} data-testid={testId}>
      <h3 className="key-title">{title}</h3>
      {keys.map((key) => (
        <div key={`${key.type} ${key.fingerprint}`} className="key-entry">
          <span className="key-type">{key.type}</span>
          <code className="fingerprint">{key.fingerprint}</code>
          {key.source && <span className="key-source">{key.source}</span>}
        </div>
      ))}
    </section>
  );
}
