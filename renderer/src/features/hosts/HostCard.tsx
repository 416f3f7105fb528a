import { useId, type JSX } from 'react';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { CodeText } from '../../components/CodeText';
import { Icon } from '../../components/Icon';
import {
  checkedAtLabel,
  dockerHint,
  dockerStateLabel,
  dockerStateTone,
  hostSubtitle,
} from './docker-state';

/** Props of {@link HostCard}. */
export interface HostCardProps {
  readonly host: HostSummary;
  readonly checking: boolean;
  readonly onCheckAgain: () => void;
}

/**
 * One host and its Docker engine: a badge with the state, the message, and — when something is
 * wrong — the hint with the command that fixes it. The card is an article named by the host, so
 * tests and screen readers find it as `article "This computer"`.
 */
export function HostCard({ host, checking, onCheckAgain }: HostCardProps): JSX.Element {
  const titleId = useId();
  const { docker } = host;
  const hint = dockerHint(docker);

  return (
    <article
      className="card host-card"
      aria-labelledby={titleId}
      aria-busy={checking}
      data-testid="host-card"
      data-host-id={host.id}
    >
      <header className="card-header">
        <div className="card-title">
          <h2 id={titleId}>{host.name}</h2>
          <p className="card-subtitle">{hostSubtitle(host)}</p>
        </div>
        <span className={`badge badge-${dockerStateTone(docker.state)}`}>
          <span className="badge-dot" aria-hidden="true" />
          <span data-testid="docker-state" data-state={docker.state}>
            {dockerStateLabel(docker.state)}
          </span>
          {docker.version && <span className="badge-detail">{docker.version}</span>}
        </span>
      </header>

      <p className="host-message" data-testid="docker-message">
        {docker.message}
      </p>
      {hint && (
        <p className="host-hint" data-testid="docker-hint">
          <CodeText text={hint} />
        </p>
      )}

      <footer className="card-footer">
        <span className="muted">
          Checked <time dateTime={docker.checkedAt}>{checkedAtLabel(docker.checkedAt)}</time>
        </span>
        {/* aria-disabled, not disabled: a disabled button drops keyboard focus mid-check. */}
        <button
          type="button"
          className="button"
          aria-disabled={checking}
          onClick={checking ? undefined : onCheckAgain}
        >
          {checking ? (
            <>
              <span className="spinner" aria-hidden="true" />
              Checking…
            </>
          ) : (
            <>
              <Icon name="refresh" />
              Check again
            </>
          )}
        </button>
      </footer>
    </article>
  );
}
