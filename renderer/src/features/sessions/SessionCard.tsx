import { useId, useState, type JSX } from 'react';
import type { Session } from '../../../../common/contract/sessions';
import { useSessions } from '../../stores/stores';
import { SessionActions } from './SessionActions';
import { SessionLogs } from './SessionLogs';
import { SessionPorts } from './SessionPorts';
import { durationSince, gpuSharesText, sessionKey, statusTone, tierText } from './session-format';

/** Props of {@link SessionCard}. */
export interface SessionCardProps {
  readonly session: Session;
  /** The time uptimes are counted to, shared by every card so they tick together. */
  readonly now: number;
  readonly onRemove: (session: Session) => void;
}

/**
 * One session: where it runs and from what, its state in Docker's words, its GPU shares and how
 * they are enforced, its services, how long it has been up, and what can be done with it —
 * Stop, Restart, Remove and Open for a session of yours; others' are shown read-only with their
 * owner. Its output opens below on demand.
 */
export function SessionCard({ session, now, onRemove }: SessionCardProps): JSX.Element {
  const indexes = useSessions((s) => s.gpuIndexes[session.host]);
  const [logsOpen, setLogsOpen] = useState(false);
  const titleId = useId();
  const logsId = useId();
  const shares = gpuSharesText(session.gpuShares, indexes ?? {});
  const tier = session.enforcement === null || shares === '' ? null : tierText(session.enforcement);
  const tone = statusTone(session.status);

  return (
    <article
      className="card session-card"
      aria-labelledby={titleId}
      data-testid="session-card"
      data-session={session.name}
      data-status={session.status}
    >
      <header className="card-header">
        <div className="card-title">
          <h3 id={titleId}>{session.name}</h3>
          <p className="card-subtitle">
            on <strong>{session.host}</strong> · <code>{session.image}</code>
          </p>
        </div>
        <div className="card-badges">
          <span className={`badge badge-${tone}`} data-testid="session-status">
            <span className="badge-dot" aria-hidden="true" />
            {session.statusText}
          </span>
          {!session.mine && (
            <span className="badge badge-neutral" data-testid="session-owner">
              {session.owner}’s · read-only
            </span>
          )}
        </div>
      </header>
      <dl className="session-facts">
        <div>
          <dt>GPUs</dt>
          <dd data-testid="session-gpus">{shares === '' ? 'none' : shares}</dd>
        </div>
        {tier && (
          <div>
            <dt>Enforcement</dt>
            <dd
              className={tier.warn ? 'session-tier session-tier-warn' : 'session-tier'}
              data-testid="session-tier"
            >
              {tier.warn && <span aria-hidden="true">⚠ </span>}
              {tier.label}
            </dd>
          </div>
        )}
        <div>
          {/* Since creation, so a restart does not reset it: the status badge says how long it is up. */}
          <dt>Created</dt>
          <dd data-testid="session-uptime">
            <time dateTime={session.createdAt} title={new Date(session.createdAt).toLocaleString()}>
              {durationSince(session.createdAt, now)} ago
            </time>
          </dd>
        </div>
        {session.mounts.length > 0 && (
          <div>
            <dt>Folders</dt>
            <dd data-testid="session-mounts">
              {session.mounts
                .map((m) => `${m.name} → ${m.target}${m.readOnly ? ' (read-only)' : ''}`)
                .join(' · ')}
            </dd>
          </div>
        )}
        <div>
          <dt>Owner</dt>
          <dd>{session.mine ? `${session.owner} (you)` : session.owner}</dd>
        </div>
      </dl>
      <SessionPorts session={session} />
      <footer className="card-footer">
        {/* Another user's output is theirs (it can hold a Jupyter token): main refuses it too. */}
        {session.mine && (
          <button
            type="button"
            className="disclosure"
            aria-expanded={logsOpen}
            aria-controls={logsId}
            data-testid="session-logs-toggle"
            onClick={() => setLogsOpen((open) => !open)}
          >
            <span className="disclosure-arrow" aria-hidden="true" />
            Output
          </button>
        )}
        {session.mine && <SessionActions session={session} onRemove={onRemove} />}
      </footer>
      <div id={logsId}>
        {logsOpen && session.mine && <SessionLogs key={sessionKey(session)} session={session} />}
      </div>
    </article>
  );
}
