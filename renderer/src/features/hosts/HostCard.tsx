import { useId, type JSX } from 'react';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { CodeText } from '../../components/CodeText';
import { GpuSection } from '../gpus/GpuSection';
import { HostSetupOffer } from '../host-setup/HostSetupOffer';
import { ConnectionBadge } from './ConnectionBadge';
import { ConnectionFailure } from './ConnectionFailure';
import {
  checkedAtLabel,
  dockerBadgeLabel,
  dockerBadgeTone,
  dockerHint,
  dockerIsLastKnown,
  hostSubtitle,
} from './docker-state';
import { DoctorButton, HostActions, OpenTerminalButton } from './HostActions';
import { JumpChainLine } from './JumpChainLine';

/** Props of {@link HostCard}. */
export interface HostCardProps {
  readonly host: HostSummary;
  readonly checking: boolean;
  /** Opens the Doctor panel; after its check the card shows the host's state anew. */
  readonly onCheck: () => void;
  /** Opens "I have verified the new key" (a card failed with a changed host key only). */
  readonly onVerifiedNewKey: () => void;
  readonly onEdit: () => void;
  readonly onRemove: () => void;
}

/**
 * One host: for SSH hosts where the connection stands (and why it failed), its Docker engine
 * with the hint that fixes it, and — once connected — its GPUs. The card is an article named by
 * the host, so tests and screen readers find it as `article "This computer"`. It takes focus back
 * when a button of it goes away (focus-home.ts): Connect, once Disconnect replaced it.
 */
export function HostCard(props: HostCardProps): JSX.Element {
  const { host, checking } = props;
  const titleId = useId();
  const { docker, connection } = host;
  const hint = dockerHint(docker);
  const isSsh = host.kind === 'ssh';

  return (
    <article
      className="card host-card"
      aria-labelledby={titleId}
      aria-busy={checking}
      tabIndex={-1}
      data-focus-home=""
      data-testid="host-card"
      data-host-id={host.id}
    >
      <header className="card-header">
        <div className="card-title">
          <h2 id={titleId}>{host.name}</h2>
          <p className="card-subtitle">{hostSubtitle(host)}</p>
          <JumpChainLine host={host} />
        </div>
        <div className="card-badges">
          {isSsh && <ConnectionBadge state={connection} />}
          <span className={`badge badge-${dockerBadgeTone(host)}`}>
            <span className="badge-dot" aria-hidden="true" />
            <span
              data-testid="docker-state"
              data-state={docker.state}
              data-last-known={dockerIsLastKnown(host)}
            >
              {dockerBadgeLabel(host)}
            </span>
            {docker.version && <span className="badge-detail">{docker.version}</span>}
          </span>
        </div>
      </header>

      {connection.phase === 'failed' && (
        <ConnectionFailure error={connection.error} onVerifiedNewKey={props.onVerifiedNewKey} />
      )}
      {connection.phase === 'idle' && connection.cancelled?.hint && (
        <p className="host-hint" data-testid="connection-hint">
          <CodeText text={connection.cancelled.hint} />
        </p>
      )}
      {connection.phase === 'reconnecting' && connection.lastError.hint && (
        <p className="host-hint" data-testid="connection-hint">
          <CodeText text={connection.lastError.hint} />
        </p>
      )}

      <p className="host-message" data-testid="docker-message">
        {docker.message}
      </p>
      {hint && (
        <p className="host-hint" data-testid="docker-hint">
          <CodeText text={hint} />
        </p>
      )}

      <HostSetupOffer host={host} />

      <GpuSection hostId={host.id} hostName={host.name} live={connection.phase === 'connected'} />

      <footer className="card-footer">
        {docker.state === 'unknown' ? (
          <span />
        ) : (
          <span className="muted">
            {dockerIsLastKnown(host) ? 'Last checked' : 'Checked'}{' '}
            <time dateTime={docker.checkedAt}>{checkedAtLabel(docker.checkedAt)}</time>
          </span>
        )}
        {isSsh ? (
          <HostActions
            host={host}
            onCheck={props.onCheck}
            onEdit={props.onEdit}
            onRemove={props.onRemove}
          />
        ) : (
          <div className="card-actions">
            <OpenTerminalButton host={host} />
            <DoctorButton hostName={host.name} onClick={props.onCheck} />
          </div>
        )}
      </footer>
    </article>
  );
}
