import { useEffect, useState, type JSX } from 'react';
import type { Session } from '../../../../common/contract/sessions';
import { hostsStore, sessionsStore, uiStore, useHosts, useSessions } from '../../stores/stores';
import { NewSessionDialog } from './NewSessionDialog';
import { RemoveSessionDialog } from './RemoveSessionDialog';
import { SessionList } from './SessionList';
import { startableHosts } from './session-format';
import { useSessionsIntent } from './use-sessions-intent';

/** Said when New session is asked for from the keyboard while no host can start one. */
const NO_HOST_TOAST = {
  kind: 'info',
  message: 'No host can start a session yet.',
  hint: 'Connect a host on the Hosts page (or start Docker on this computer), then try again.',
} as const;

/** Connected hosts whose sessions could not be listed: said, so an empty list is never a lie. */
function UnreachableHosts(): JSX.Element | null {
  const unreachable = useSessions((s) => s.unreachable);
  if (unreachable.length === 0) return null;
  return (
    <div className="notice notice-warning" role="status" data-testid="sessions-unreachable">
      {unreachable.map(({ hostId, host, message }) => (
        <p key={hostId} className="notice-message">
          Could not list the sessions on {host}: {message}
        </p>
      ))}
    </div>
  );
}

/** The one dialog the Sessions page may have open. */
type SessionsDialog =
  { readonly kind: 'new' } | { readonly kind: 'remove'; readonly session: Session };

/**
 * Compute sessions: the Docker containers LabDeck started on "This computer" and every connected
 * host, yours and others', with their GPU shares, how those are enforced, their services and
 * their output — and a form to start a new one. The list is asked for again every few seconds
 * while the page shows, and after every action.
 */
export function SessionsPage(): JSX.Element {
  const [dialog, setDialog] = useState<SessionsDialog | null>(null);
  const canStart = useHosts((s) => startableHosts(s.hosts).length > 0);
  const close = (): void => setDialog(null);

  useEffect(() => sessionsStore.getState().poll(), []);
  // Its one intent is New session; the button's rule, on the hosts as they are now.
  useSessionsIntent(() => {
    if (startableHosts(hostsStore.getState().hosts).length > 0) setDialog({ kind: 'new' });
    else uiStore.getState().showToast(NO_HOST_TOAST);
  });

  return (
    <div className="page">
      <header className="page-header page-header-actions">
        <div>
          <h1>Sessions</h1>
          <p className="page-lede">
            Containers with whole or fractional GPUs on the lab’s hosts: yours, and others’ to see.
          </p>
        </div>
        <div className="page-actions">
          <button
            type="button"
            className="button button-primary"
            aria-disabled={!canStart}
            title={canStart ? undefined : 'Connect a host first (Hosts page)'}
            data-testid="sessions-new"
            onClick={canStart ? () => setDialog({ kind: 'new' }) : undefined}
          >
            New session
          </button>
        </div>
      </header>
      <UnreachableHosts />
      <SessionList onRemove={(session) => setDialog({ kind: 'remove', session })} />
      {dialog?.kind === 'new' && <NewSessionDialog onClose={close} />}
      {dialog?.kind === 'remove' && (
        <RemoveSessionDialog session={dialog.session} onClose={close} />
      )}
    </div>
  );
}
