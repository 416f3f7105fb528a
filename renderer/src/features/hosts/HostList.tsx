import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { CodeText } from '../../components/CodeText';
import { useHosts } from '../../stores/stores';
import { HostCard } from './HostCard';

/** Props of {@link HostList}. */
export interface HostListProps {
  /** Opens one of the page's dialogs for a host. */
  readonly onOpen: (kind: HostDialogKind, host: HostSummary) => void;
}

/** The dialogs a host card can open. */
export type HostDialogKind = 'edit' | 'remove' | 'check' | 'replace-key';

/**
 * The host cards. Shows the first load as a loading line, a failed load with its reason and a
 * retry, and never sample data.
 */
export function HostList({ onOpen }: HostListProps): JSX.Element {
  const { hosts, status, error, refreshing, load } = useHosts(
    useShallow((s) => ({
      hosts: s.hosts,
      status: s.status,
      error: s.error,
      refreshing: s.refreshing,
      load: s.load,
    })),
  );

  if (status === 'idle' || (status === 'loading' && hosts.length === 0)) {
    return (
      <p className="loading-line" role="status" data-testid="hosts-loading">
        <span className="spinner" aria-hidden="true" />
        Loading hosts…
      </p>
    );
  }

  if (status === 'failed' && error) {
    return (
      <div className="empty-state empty-state-error" data-testid="hosts-error">
        <p className="empty-title">Could not load the hosts</p>
        <p className="empty-text">{error.message}</p>
        {error.hint && (
          <p className="empty-text">
            <CodeText text={error.hint} />
          </p>
        )}
        <button type="button" className="button" onClick={() => void load()}>
          Try again
        </button>
      </div>
    );
  }

  if (hosts.length === 0) {
    return (
      <div className="empty-state" data-testid="hosts-empty">
        <p className="empty-title">No hosts</p>
        <p className="empty-text">LabDeck did not report any host, not even this computer.</p>
      </div>
    );
  }

  return (
    <ul className="card-list" aria-label="Hosts">
      {hosts.map((host) => (
        <li key={host.id}>
          <HostCard
            host={host}
            checking={refreshing[host.id] === true}
            onCheck={() => onOpen('check', host)}
            onVerifiedNewKey={() => onOpen('replace-key', host)}
            onEdit={() => onOpen('edit', host)}
            onRemove={() => onOpen('remove', host)}
          />
        </li>
      ))}
    </ul>
  );
}
