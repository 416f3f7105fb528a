import type { JumpHop } from '../../../../common/hosts/host-config';
import type { HostSummary } from '../../../../common/hosts/host-summary';

/** `user@host`, or `user@host:port` off port 22 (`[v6]:port` for IPv6), as `ssh -J` reads it. */
export function hopAddress(hop: JumpHop): string {
  if (hop.port === 22) return `${hop.user}@${hop.hostname}`;
  const host = hop.hostname.includes(':') ? `[${hop.hostname}]` : hop.hostname;
  return `${hop.user}@${host}:${hop.port}`;
}

/**
 * A host's jump chain as a card says it, "via lab-direct → gw": each hop by the name of the
 * LabDeck host that is that very endpoint (same user, address and port), else by its address.
 * Null without jump hosts.
 */
export function jumpChainLabel(
  jump: readonly JumpHop[],
  hosts: readonly HostSummary[],
): string | null {
  if (jump.length === 0) return null;
  const names = jump.map((hop) => {
    const same = hosts.find(
      (h) =>
        h.config &&
        h.config.user === hop.user &&
        h.config.hostname === hop.hostname &&
        h.config.port === hop.port,
    );
    return same?.name ?? hopAddress(hop);
  });
  return `via ${names.join(' → ')}`;
}
