import type { JSX } from 'react';
import type { Session } from '../../../../common/contract/sessions';
import { hostIdOf, sessionKey } from './session-format';
import { hostsStore, sessionsStore, useSessions } from '../../stores/stores';
import { openTerminal } from '../terminals/open-terminal';
import { canOpenTerminalIn } from '../terminals/terminal-targets';

/** Props of {@link SessionActions}. */
export interface SessionActionsProps {
  readonly session: Session;
  readonly onRemove: (session: Session) => void;
}

/**
 * Open terminal and Stop (while it runs), Restart and Remove (which asks first) for a session
 * of yours.
 */
export function SessionActions({ session, onRemove }: SessionActionsProps): JSX.Element {
  const action = useSessions((s) => s.actions[sessionKey(session)]);
  const busy = action !== undefined;
  const running = session.status === 'running' || session.status === 'restarting';
  const { stop, restart } = sessionsStore.getState();
  return (
    <div className="card-actions">
      {canOpenTerminalIn(session) && (
        <button
          type="button"
          className="button button-small"
          aria-label={`Open a terminal in ${session.name}`}
          data-testid="session-terminal"
          onClick={() =>
            openTerminal({
              kind: 'session',
              session: session.name,
              hostId: hostIdOf(session, hostsStore.getState().hosts),
            })
          }
        >
          Open terminal
        </button>
      )}
      {running && (
        <button
          type="button"
          className="button button-small"
          aria-disabled={busy}
          aria-label={`Stop ${session.name}`}
          data-testid="session-stop"
          onClick={busy ? undefined : () => void stop(session)}
        >
          {action === 'stopping' && <span className="spinner spinner-small" aria-hidden="true" />}
          Stop
        </button>
      )}
      <button
        type="button"
        className="button button-small"
        aria-disabled={busy}
        aria-label={`${running ? 'Restart' : 'Start'} ${session.name}`}
        data-testid="session-restart"
        onClick={busy ? undefined : () => void restart(session)}
      >
        {action === 'restarting' && <span className="spinner spinner-small" aria-hidden="true" />}
        {running ? 'Restart' : 'Start again'}
      </button>
      <button
        type="button"
        className="button button-small button-danger"
        aria-disabled={busy}
        aria-label={`Remove ${session.name}`}
        data-testid="session-remove"
        onClick={busy ? undefined : () => onRemove(session)}
      >
        {action === 'removing' && <span className="spinner spinner-small" aria-hidden="true" />}
        Remove
      </button>
    </div>
  );
}
