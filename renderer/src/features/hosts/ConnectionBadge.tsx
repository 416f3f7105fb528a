import type { JSX } from 'react';
import type { ConnectionState } from '../../../../common/hosts/connection-state';
import { useCountdownNow } from '../../hooks/use-countdown-now';
import { connectionBadge, connectionDetail } from './connection-view';

/** Props of {@link ConnectionBadge}. */
export interface ConnectionBadgeProps {
  readonly state: ConnectionState;
}

/**
 * Where an SSH host's connection stands: a badge ("Connecting" with a spinner, "Connected",
 * "Reconnecting in 4 s" counting down live…) and the step or cause under it. The badge text is
 * a polite live region, so a screen reader hears the state change without the countdown's ticks.
 */
export function ConnectionBadge({ state }: ConnectionBadgeProps): JSX.Element {
  const now = useCountdownNow(state.phase === 'reconnecting' ? state.at : null);
  const badge = connectionBadge(state, now);
  const detail = connectionDetail(state);

  return (
    <div className="connection">
      <span className={`badge badge-${badge.tone}`}>
        {badge.busy ? (
          <span className="spinner spinner-small" aria-hidden="true" />
        ) : (
          <span className="badge-dot" aria-hidden="true" />
        )}
        <span data-testid="connection-state" data-phase={state.phase}>
          {badge.label}
        </span>
      </span>
      <span className="visually-hidden" role="status">
        {state.phase === 'reconnecting' ? 'Reconnecting' : badge.label}
      </span>
      {detail && (
        <span className="connection-detail" data-testid="connection-detail">
          {detail}
        </span>
      )}
    </div>
  );
}
