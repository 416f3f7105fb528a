import type { HostSummary } from '../../../../common/hosts/host-summary';

/** Where the Folders page keeps the host it showed last, so a reload opens on it again. */
export const LAST_HOST_KEY = 'labdeck.folders.host';

/** Hosts whose folders can be asked for now: "This computer", and SSH hosts while connected. */
export function folderHosts(hosts: readonly HostSummary[]): readonly HostSummary[] {
  return hosts.filter((h) => h.kind === 'local' || h.connection.phase === 'connected');
}

/** The host chosen last, or null when none was (or storage is not available). */
export function rememberedHost(memory: Pick<Storage, 'getItem'> | undefined): string | null {
  try {
    return memory?.getItem(LAST_HOST_KEY) ?? null;
  } catch {
    // Storage can be switched off (a browser's privacy setting): the page then just forgets.
    return null;
  }
}

/** Keeps `hostId` as the host chosen last; a storage that refuses is ignored. */
export function rememberHost(memory: Pick<Storage, 'setItem'> | undefined, hostId: string): void {
  try {
    memory?.setItem(LAST_HOST_KEY, hostId);
  } catch {
    // As above: remembering is a convenience, never a failure.
  }
}

/** The window's localStorage, or undefined where the browser refuses it. */
export function windowMemory(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
