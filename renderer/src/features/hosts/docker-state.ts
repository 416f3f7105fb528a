import type { DockerState, DockerStatus, HostSummary } from '../../../../common/hosts/host-summary';
import { assertNever } from '../../util/assert-never';

/** How a Docker state reads on a host card's badge. */
export function dockerStateLabel(state: DockerState): string {
  switch (state) {
    case 'unknown':
      return 'Docker not checked yet';
    case 'reachable':
      return 'Docker reachable';
    case 'not-installed':
      return 'Docker not installed';
    case 'daemon-not-running':
      return 'Docker daemon not running';
    case 'permission-denied':
      return 'Docker permission denied';
    case 'error':
      return 'Docker error';
    default:
      return assertNever(state);
  }
}

/**
 * The colour family of a badge: green when sessions can start, amber when a fix is known, red
 * otherwise, grey when nothing is known yet.
 */
export type BadgeTone = 'ok' | 'warning' | 'danger' | 'neutral';

/** The badge tone of a Docker state. */
export function dockerStateTone(state: DockerState): BadgeTone {
  switch (state) {
    case 'unknown':
      return 'neutral';
    case 'reachable':
      return 'ok';
    case 'not-installed':
    case 'daemon-not-running':
    case 'permission-denied':
      return 'warning';
    case 'error':
      return 'danger';
    default:
      return assertNever(state);
  }
}

/**
 * The hint to show under a Docker status: only when something is wrong and a fix is known. An
 * unchecked engine (`unknown`) has none: its message already says to connect first.
 */
export function dockerHint(docker: DockerStatus): string | null {
  return docker.state === 'reachable' || docker.state === 'unknown' ? null : (docker.hint ?? null);
}

/** The line under a host's name: where it is and which Docker socket was tried. */
export function hostSubtitle(host: HostSummary): string {
  const where = host.kind === 'local' ? 'Local' : (host.address ?? 'SSH');
  return `${where} · ${host.docker.socket}`;
}

/**
 * When the Docker state was last checked, as a time of day in the user's locale; the ISO string
 * unchanged when it cannot be parsed, so nothing is hidden.
 */
export function checkedAtLabel(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/**
 * Whether a host's Docker state is only what it was when the host was last connected: an SSH
 * host that is not connected now cannot be asked, so its badge says "last known" and goes grey.
 */
export function dockerIsLastKnown(host: HostSummary): boolean {
  return (
    host.kind === 'ssh' && host.connection.phase !== 'connected' && host.docker.state !== 'unknown'
  );
}

/** A host card's Docker badge text: the state, marked "last known" while the host is away. */
export function dockerBadgeLabel(host: HostSummary): string {
  const label = dockerStateLabel(host.docker.state);
  return dockerIsLastKnown(host) ? `${label} (last known)` : label;
}

/** A host card's Docker badge tone: grey while the state is only the last known one. */
export function dockerBadgeTone(host: HostSummary): BadgeTone {
  return dockerIsLastKnown(host) ? 'neutral' : dockerStateTone(host.docker.state);
}
