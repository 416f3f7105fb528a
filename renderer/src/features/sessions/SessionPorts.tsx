import type { JSX } from 'react';
import type { Session } from '../../../../common/contract/sessions';
import { sessionsStore, useSessions } from '../../stores/stores';
import { waitKey } from './sessions-store';

/** Props of {@link SessionPorts}. */
export interface SessionPortsProps {
  readonly session: Session;
}

/**
 * A session's services: name, protocol, container port and, once forwarded, the address on this
 * computer. An http service of yours has Open, which waits for it to answer before the tab
 * shows it ("waiting for jupyter…"), so a starting Jupyter is never a browser error page.
 */
export function SessionPorts({ session }: SessionPortsProps): JSX.Element | null {
  const waiting = useSessions((s) => s.waiting);
  if (session.ports.length === 0) return null;
  const opened = new Set<string>();
  return (
    <ul className="session-ports" aria-label={`Services of ${session.name}`}>
      {session.ports.map((port) => {
        const first = !opened.has(port.name);
        opened.add(port.name);
        const isWaiting = waiting[waitKey(session, port.name)] === true;
        const canOpen = first && session.mine && port.protocol === 'http';
        return (
          <li
            key={`${port.name}:${port.containerPort}`}
            className="session-port"
            data-testid="session-port"
          >
            <span className="session-port-name">{port.name}</span>
            <span className="muted">
              {port.protocol} · {port.containerPort}
            </span>
            {port.localUrl ? (
              <code data-testid="session-port-url">{port.localUrl}</code>
            ) : (
              <span className="muted">not forwarded</span>
            )}
            {canOpen && (
              <button
                type="button"
                className="button button-small"
                aria-disabled={isWaiting || session.status !== 'running'}
                data-testid="session-open"
                onClick={
                  isWaiting || session.status !== 'running'
                    ? undefined
                    : () => void sessionsStore.getState().open(session, port.name)
                }
              >
                {isWaiting && <span className="spinner spinner-small" aria-hidden="true" />}
                {isWaiting ? `waiting for ${port.name}…` : 'Open'}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
