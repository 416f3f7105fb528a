import type { Session } from '../../../common/contract/sessions';
import type { HostSummary } from '../../../common/hosts/host-summary';
import { canConnect, canDisconnect } from '../features/hosts/connection-view';
import { PAGES, type PageId } from './pages';

/** What choosing a command of the palette does. */
export type PaletteAction =
  | { readonly kind: 'connect' | 'disconnect' | 'check' | 'edit'; readonly hostId: string }
  | { readonly kind: 'add-host' }
  | { readonly kind: 'import' }
  | { readonly kind: 'new-session' }
  | { readonly kind: 'new-terminal' }
  | { readonly kind: 'open-service'; readonly session: Session; readonly service: string }
  | { readonly kind: 'stop-session'; readonly session: Session }
  | { readonly kind: 'page'; readonly page: PageId }
  | { readonly kind: 'shortcuts' };

/** One line of the command palette. */
export interface PaletteCommand {
  /** Unique among the commands shown; also the option's DOM id suffix. */
  readonly id: string;
  readonly label: string;
  /** A quiet second part of the line that the filter also searches: an address, a shortcut. */
  readonly detail?: string;
  readonly action: PaletteAction;
}

/**
 * Every command the palette offers now: adding and importing hosts, a new session and a new
 * terminal (which asks where), then for each host what its card offers in its current state
 * (Connect or Disconnect, Check, Edit — "This computer" has only Check), then for each session
 * of yours what its card offers from the keyboard (Open each http service and Stop, while it
 * runs), then the pages and the shortcuts.
 */
export function paletteCommands(
  hosts: readonly HostSummary[],
  sessions: readonly Session[],
): readonly PaletteCommand[] {
  const commands: PaletteCommand[] = [
    { id: 'add-host', label: 'Add host', action: { kind: 'add-host' } },
    { id: 'import', label: 'Import from ~/.ssh/config', action: { kind: 'import' } },
    { id: 'new-session', label: 'New session', action: { kind: 'new-session' } },
    { id: 'new-terminal', label: 'New terminal…', action: { kind: 'new-terminal' } },
  ];
  for (const host of hosts) {
    const detail = host.address ?? undefined;
    const of = (
      kind: 'connect' | 'disconnect' | 'check' | 'edit',
      verb: string,
    ): PaletteCommand => ({
      id: `${kind}-${host.id}`,
      label: `${verb} ${host.name}`,
      ...(detail === undefined ? {} : { detail }),
      action: { kind, hostId: host.id },
    });
    if (host.kind === 'ssh') {
      if (canConnect(host.connection)) commands.push(of('connect', 'Connect'));
      if (canDisconnect(host.connection)) commands.push(of('disconnect', 'Disconnect'));
    }
    commands.push(of('check', 'Check'));
    if (host.kind === 'ssh') commands.push(of('edit', 'Edit'));
  }
  for (const session of sessions) commands.push(...sessionCommands(session));
  for (const page of PAGES) {
    commands.push({
      id: `page-${page.id}`,
      label: `Go to ${page.label}`,
      action: { kind: 'page', page: page.id },
    });
  }
  commands.push({ id: 'shortcuts', label: 'Keyboard shortcuts', action: { kind: 'shortcuts' } });
  return commands;
}

/**
 * Open for each http service of a running session of yours (once per name, as its card has) and
 * Stop; nothing for others' sessions, which are read-only. The host name is the detail.
 */
function sessionCommands(session: Session): readonly PaletteCommand[] {
  const running = session.status === 'running' || session.status === 'restarting';
  if (!session.mine || !running) return [];
  const id = `${session.host}-${session.id}`;
  const detail = session.host;
  const services = new Set<string>();
  for (const port of session.ports) if (port.protocol === 'http') services.add(port.name);
  const commands: PaletteCommand[] = [];
  if (session.status === 'running') {
    for (const service of services) {
      commands.push({
        id: `open-${id}-${service}`,
        label: `Open ${session.name}’s ${service}`,
        detail,
        action: { kind: 'open-service', session, service },
      });
    }
  }
  commands.push({
    id: `stop-${id}`,
    label: `Stop ${session.name}`,
    detail,
    action: { kind: 'stop-session', session },
  });
  return commands;
}

/** Apostrophes as typed (') and as labels write them (’) are one character to the filter. */
const folded = (text: string): string => text.toLowerCase().replaceAll('’', "'");

/**
 * The commands matching what the user typed: every word of the query appears, ignoring case,
 * in the label or the detail ("con gpu" finds "Connect gpu-lab"). An empty query keeps all.
 */
export function filterCommands(
  commands: readonly PaletteCommand[],
  query: string,
): readonly PaletteCommand[] {
  const words = folded(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return commands;
  return commands.filter((command) => {
    const text = folded(`${command.label} ${command.detail ?? ''}`);
    return words.every((word) => text.includes(word));
  });
}
