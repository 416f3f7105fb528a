import { useEffect, useState, type JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Session } from '../../../../common/contract/sessions';
import { SessionCard } from './SessionCard';
import { sessionKey } from './session-format';
import { useSessions } from '../../stores/stores';

/** How often uptimes are counted again while a session is in its first minute (seconds show). */
const UPTIME_SECONDS_TICK_MS = 1_000;
/** How often otherwise: minutes are the finest unit shown then. */
const UPTIME_MINUTES_TICK_MS = 15_000;
/** An uptime under this shows seconds. */
const SECONDS_SHOWN_MS = 60_000;

/** Props of {@link SessionList}. */
export interface SessionListProps {
  readonly onRemove: (session: Session) => void;
}

/** Every session of the connected hosts, newest first; or why there is none to show. */
export function SessionList({ onRemove }: SessionListProps): JSX.Element {
  const { sessions, status, error } = useSessions(
    useShallow((s) => ({ sessions: s.sessions, status: s.status, error: s.error })),
  );
  const now = useUptimeNow(sessions);

  if (status === 'idle' || (status === 'loading' && sessions.length === 0))
    return (
      <p className="loading-line">
        <span className="spinner" aria-hidden="true" /> Listing the sessions of connected hosts…
      </p>
    );
  if (error && sessions.length === 0)
    return (
      <div className="empty-state empty-state-error" role="alert" data-testid="sessions-error">
        <p className="empty-title">The sessions could not be listed.</p>
        <p>{error.message}</p>
        {error.hint && <p>{error.hint}</p>}
      </div>
    );
  if (sessions.length === 0)
    return (
      <div className="empty-state" data-testid="sessions-empty">
        <p className="empty-title">No sessions on the connected hosts.</p>
        <p>
          Start one with New session; sessions on hosts that are not connected show once they are.
        </p>
      </div>
    );
  return (
    <section className="card-list" aria-label="Sessions" data-testid="session-list">
      {sessions.map((session) => (
        <SessionCard key={sessionKey(session)} session={session} now={now} onRemove={onRemove} />
      ))}
    </section>
  );
}

/**
 * The current time for uptimes, read again whenever the list changes and then every second while
 * a session is in its first minute, every {@link UPTIME_MINUTES_TICK_MS} after.
 */
function useUptimeNow(sessions: readonly Session[]): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = (): void => {
      const current = Date.now();
      setNow(current);
      const young = sessions.some((s) => current - Date.parse(s.createdAt) < SECONDS_SHOWN_MS);
      timer = setTimeout(tick, young ? UPTIME_SECONDS_TICK_MS : UPTIME_MINUTES_TICK_MS);
    };
    timer = setTimeout(tick, 0);
    return () => clearTimeout(timer);
  }, [sessions]);
  return now;
}
