import type { HostSummary } from '../../../common/hosts/host-summary';
import { canConnect, canDisconnect } from '../features/hosts/connection-view';
import { PAGES, type PageId } from './pages';

/** What choosing a command of the palette does. */
export type PaletteAction =
  | { readonly kind: 'connect' | 'disconnect' | 'check' | 'edit'; readonly hostId: string }
  | { readonly kind: 'add-host' }
  | { readonly kind: 'import' }
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
 * Every command the palette offers now: adding and importing hosts, then for each host what its
 * card offers in its current state (Connect or Disconnect, Check, Edit — "This computer" has
 * only Check), then the pages and the shortcuts overlay.
 */
export function paletteCommands(hosts: readonly HostSummary[]): readonly PaletteCommand[] {
  const commands: PaletteCommand[] = [
    { id: 'add-host', label: 'Add host', action: { kind: 'add-host' } },
    { id: 'import', label: 'Import from ~/.ssh/config', action: { kind: 'import' } },
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
 * The commands matching what the user typed: every word of the query appears, ignoring case,
 * in the label or the detail ("con gpu" finds "Connect gpu-lab"). An empty query keeps all.
 */
export function filterCommands(
  commands: readonly PaletteCommand[],
  query: string,
): readonly PaletteCommand[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return commands;
  return commands.filter((command) => {
    const text = `${command.label} ${command.detail ?? ''}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}
