import type { Session } from '../../../../common/contract/sessions';
import type { TerminalTarget } from '../../../../common/contract/terminals';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { hostIdOf } from '../sessions/session-format';

/** One place a new terminal can run, as the New terminal list shows it. */
export interface TerminalChoice {
  /** Unique among the choices; also a test id suffix. */
  readonly key: string;
  readonly label: string;
  readonly detail: string;
  readonly target: TerminalTarget;
}

/** True for a session of yours that runs: the only kind a terminal can go into. */
export function canOpenTerminalIn(session: Session): boolean {
  return session.mine && session.status === 'running';
}

/** True for a host a terminal can open on now: this computer, or a connected SSH host. */
export function canOpenTerminalOn(host: HostSummary): boolean {
  return host.kind === 'local' || host.connection.phase === 'connected';
}

/**
 * Where a new terminal can run: this computer and each connected host (a login shell), then each
 * running session of yours (a shell in its container).
 */
export function terminalChoices(
  hosts: readonly HostSummary[],
  sessions: readonly Session[],
): readonly TerminalChoice[] {
  const choices: TerminalChoice[] = [];
  for (const host of hosts) {
    if (!canOpenTerminalOn(host)) continue;
    choices.push({
      key: `host-${host.id}`,
      label: host.name,
      detail: host.kind === 'local' ? 'a shell on this computer' : 'a login shell on the host',
      target: { kind: 'host', hostId: host.id },
    });
  }
  for (const session of sessions) {
    if (!canOpenTerminalIn(session)) continue;
    choices.push({
      key: `session-${session.host}-${session.id}`,
      label: session.name,
      detail: `a shell in the session, on ${session.host}`,
      target: { kind: 'session', session: session.name, hostId: hostIdOf(session, hosts) },
    });
  }
  return choices;
}
