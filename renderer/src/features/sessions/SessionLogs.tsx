import { useEffect, useRef, useState, type JSX } from 'react';
import type { AppError } from '../../../../common/contract/result';
import type { Session } from '../../../../common/contract/sessions';
import { followSessionLogs } from './session-logs';
import { sessionsStore } from '../../stores/stores';

/** Props of {@link SessionLogs}. */
export interface SessionLogsProps {
  readonly session: Session;
}

/**
 * A session's output, following it while the panel is open. The bytes go straight into the
 * `<pre>` (session-logs.ts), never through React state; closing the panel ends the stream.
 */
export function SessionLogs({ session }: SessionLogsProps): JSX.Element {
  const pre = useRef<HTMLPreElement>(null);
  const [ended, setEnded] = useState<{ error?: AppError } | null>(null);

  useEffect(() => {
    const target = pre.current;
    if (!target) return;
    setEnded(null);
    target.textContent = '';
    const open = sessionsStore.getState().openLogs;
    return followSessionLogs(
      (sink) => open(session, sink),
      target,
      (error) => setEnded(error ? { error } : {}),
    );
    // Keyed by the session's identity: a poll's fresh object must not restart the stream.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session.id, session.host]);

  return (
    <div className="session-logs" data-testid="session-logs">
      <pre
        ref={pre}
        className="session-logs-text"
        tabIndex={0}
        aria-label={`Output of ${session.name}`}
      />
      {ended && (
        <p className={ended.error ? 'field-errors' : 'muted'} role="status">
          {ended.error ? `${ended.error.message} ${ended.error.hint ?? ''}` : 'The output ended.'}
        </p>
      )}
    </div>
  );
}
