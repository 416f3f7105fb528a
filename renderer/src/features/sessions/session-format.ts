import type { EnforcementTier, Session } from '../../../../common/contract/sessions';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { assertNever } from '../../util/assert-never';

/** UUID → index of one host's GPUs (and MIG devices), as `sessions:preview` lists them. */
export type GpuIndexes = Readonly<Record<string, number>>;

/** How a session's GPU shares are held to, in a researcher's words; `warn` when they are not. */
export interface TierText {
  readonly label: string;
  readonly warn: boolean;
}

/** The words for an enforcement tier (DESIGN.md §4): `none` is a warning, never silent. */
export function tierText(tier: EnforcementTier): TierText {
  switch (tier) {
    case 'exclusive':
      return { label: 'whole GPUs', warn: false };
    case 'mig':
      return { label: 'MIG partitions', warn: false };
    case 'mps':
      return { label: 'CUDA MPS limits', warn: false };
    case 'hami':
      return { label: 'HAMi-core limits', warn: false };
    case 'none':
      return { label: 'shared, not enforced', warn: true };
    default:
      return assertNever(tier);
  }
}

/**
 * "GPU 0 0.75 · GPU 1 0.75": each share after its GPU's index, in index order. A UUID whose
 * index is not known (yet) is shown shortened, so the line is never empty while shares exist.
 */
export function gpuSharesText(shares: Readonly<Record<string, string>>, indexes: GpuIndexes) {
  const rows = Object.entries(shares).map(([uuid, share]) => ({
    index: indexes[uuid],
    label: indexes[uuid] === undefined ? uuid.slice(0, 12) : `GPU ${indexes[uuid]}`,
    share,
  }));
  rows.sort((a, b) => (a.index ?? Infinity) - (b.index ?? Infinity));
  return rows.map((row) => `${row.label} ${row.share}`).join(' · ');
}

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h": how long ago `iso` was, for the uptime column. */
export function durationSince(iso: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** The badge tone of a session's state: running is good, exited and dead are not. */
export function statusTone(status: Session['status']): 'ok' | 'warning' | 'danger' | 'neutral' {
  switch (status) {
    case 'running':
      return 'ok';
    case 'created':
    case 'paused':
    case 'restarting':
    case 'removing':
      return 'warning';
    case 'exited':
      return 'neutral';
    case 'dead':
      return 'danger';
    default:
      return assertNever(status);
  }
}

/** Hosts a session can start on now: "This computer" with its engine reachable, connected SSH hosts. */
export function startableHosts(hosts: readonly HostSummary[]): readonly HostSummary[] {
  return hosts.filter((h) =>
    h.kind === 'local' ? h.docker.state === 'reachable' : h.connection.phase === 'connected',
  );
}

/**
 * The host id to name a session's host by in requests. Sessions carry the host's name; the
 * services accept a name too, so an unknown one is passed as it is.
 */
export function hostIdOf(session: Session, hosts: readonly HostSummary[]): string {
  return hosts.find((h) => h.name === session.host)?.id ?? session.host;
}

/** A stable key for a session across hosts (ids are per host in principle). */
export function sessionKey(session: Pick<Session, 'host' | 'id'>): string {
  return `${session.host}\u0000${session.id}`;
}
