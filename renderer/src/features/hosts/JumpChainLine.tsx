import type { JSX } from 'react';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { useHosts } from '../../stores/stores';
import { jumpChainLabel } from './jump-chain';

/** Props of {@link JumpChainLine}. */
export interface JumpChainLineProps {
  readonly host: HostSummary;
}

/** "via lab-direct → gw" under a card's title; nothing for a host reached directly. */
export function JumpChainLine({ host }: JumpChainLineProps): JSX.Element | null {
  const hosts = useHosts((s) => s.hosts);
  const label = jumpChainLabel(host.config?.jump ?? [], hosts);
  if (!label) return null;
  return (
    <p className="card-subtitle host-via" data-testid="host-via">
      {label}
    </p>
  );
}
