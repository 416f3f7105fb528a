import type { HostSummary } from '../../../../common/hosts/host-summary';

/** Where the Folders page keeps the host it showed last, so a reload opens on it again. */
export const LAST_HOST_KEY = 'labdeck.folders.host';

/** Hosts whose folders can be asked for now: "This computer", and SSH hosts while connected. */
export function folderHosts(hosts: readonly HostSummary[]): readonly HostSummary[] {
  return hosts.filter((h) => h.kind === 'local' || h.connection.phase === 'connected');
}

/** The window's localStorage, or undefined where the browser refuses it. */
export function windowMemory(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
